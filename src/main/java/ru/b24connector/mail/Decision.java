package ru.b24connector.mail;

import java.util.Locale;

/** The decision on a claim, as the process and the {@code send_dealer_decision} robot name it. */
public enum Decision {
    APPROVED("Рекламация удовлетворена", "Claim approved"),
    REJECTED("В рекламации отказано", "Claim rejected"),
    PARTIAL("Рекламация удовлетворена частично", "Claim partially approved");

    private final String russian;
    private final String english;

    Decision(String russian, String english) {
        this.russian = russian;
        this.english = english;
    }

    /** {@code approved}, {@code rejected} or {@code partial} (any case). */
    public static Decision parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("decision must be approved, rejected or partial, not '" + value + "'");
        }
    }

    /** The decision in words, in {@code ru} or {@code en}. */
    public String label(String language) {
        return "en".equals(language) ? english : russian;
    }

    /** Lower-case name as used in robot properties and the process file. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
