package ru.b24connector.outage;

import java.util.Locale;

/** A neighbour the service needs; while one is down, work that needs it waits instead of failing. */
public enum Dependency {
    PORTAL, ONEC, SMTP, DATABASE;

    /** Name in metrics tags, readiness data and the admin API: {@code portal}, {@code 1c}, {@code smtp}, {@code database}. */
    public String label() {
        return this == ONEC ? "1c" : name().toLowerCase(Locale.ROOT);
    }
}
