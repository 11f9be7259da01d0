package ru.b24connector.reclamation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InnTests {

    @Test
    void acceptsValidTenAndTwelveDigitInns() {
        assertThat(Inn.isValid("7707083893")).isTrue();   // an organisation
        assertThat(Inn.isValid("500100732259")).isTrue(); // an individual
    }

    @Test
    void refusesWrongCheckDigitsAndShapes() {
        assertThat(Inn.isValid("7707083894")).isFalse();
        assertThat(Inn.isValid("500100732250")).isFalse();
        assertThat(Inn.isValid("770708389")).isFalse();
        assertThat(Inn.isValid("77070838931")).isFalse();
        assertThat(Inn.isValid("77070838a3")).isFalse();
        assertThat(Inn.isValid(null)).isFalse();
    }

    @Test
    void normalizesRussianPhoneForms() {
        assertThat(Phones.normalize("8 (912) 345-67-89")).hasValue("+79123456789");
        assertThat(Phones.normalize("+7 912 345 67 89")).hasValue("+79123456789");
        assertThat(Phones.normalize("9123456789")).hasValue("+79123456789");
        assertThat(Phones.normalize("+49 30 1234567")).hasValue("+49301234567");
        assertThat(Phones.normalize("12-34")).isEmpty();
        assertThat(Phones.normalize("call me")).isEmpty();
    }

    /** A valid organisation INN built from nine digits (for tests that need many distinct dealers). */
    static String innFrom(long nineDigits) {
        String base = String.format("%09d", nineDigits % 1_000_000_000L);
        int[] w = {2, 4, 10, 3, 5, 9, 4, 6, 8};
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (base.charAt(i) - '0') * w[i];
        }
        return base + (sum % 11 % 10);
    }

    @Test
    void generatedInnsAreValid() {
        assertThat(Inn.isValid(innFrom(770708389))).isTrue();
        assertThat(innFrom(770708389)).isEqualTo("7707083893");
    }
}
