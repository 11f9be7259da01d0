package ru.b24connector.reclamation;

import java.util.Optional;

/**
 * Normalizes phone numbers as dealers type them into E.164: Russian forms ({@code 8 (912) 345-67-89},
 * {@code +7 912 345 67 89}, {@code 9123456789}) become {@code +79123456789}; other countries must start with
 * {@code +} and have 8 to 15 digits.
 */
public final class Phones {

    private Phones() {
    }

    public static Optional<String> normalize(String phone) {
        if (phone == null || !phone.matches("[+\\d\\s()\\-.]{5,30}")) {
            return Optional.empty();
        }
        String digits = phone.replaceAll("\\D", "");
        boolean plus = phone.trim().startsWith("+");
        if (digits.length() == 11 && (digits.startsWith("8") && !plus || digits.startsWith("7"))) {
            return Optional.of("+7" + digits.substring(1));
        }
        if (digits.length() == 10 && !plus && digits.startsWith("9")) {
            return Optional.of("+7" + digits);
        }
        if (plus && digits.length() >= 8 && digits.length() <= 15 && !digits.startsWith("7")) {
            return Optional.of("+" + digits);
        }
        return Optional.empty();
    }
}
