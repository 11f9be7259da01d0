package ru.b24connector.reclamation;

/** Russian taxpayer number (ИНН): 10 digits for organisations, 12 for individuals, with check digits. */
public final class Inn {

    private static final int[] W10 = {2, 4, 10, 3, 5, 9, 4, 6, 8};
    private static final int[] W11 = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    private static final int[] W12 = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};

    private Inn() {
    }

    public static boolean isValid(String inn) {
        if (inn == null || !inn.matches("\\d{10}|\\d{12}")) {
            return false;
        }
        int[] d = inn.chars().map(c -> c - '0').toArray();
        if (d.length == 10) {
            return check(d, W10) == d[9];
        }
        return check(d, W11) == d[10] && check(d, W12) == d[11];
    }

    private static int check(int[] digits, int[] weights) {
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += digits[i] * weights[i];
        }
        return sum % 11 % 10;
    }
}
