package ru.b24connector.console;

/**
 * A console login: who (the name given at login, for the action log), from which address, until when, and the
 * CSRF token every form of the session carries.
 */
public record ConsoleSession(String who, String address, long expiresAt, String csrf) {

    @Override
    public String toString() {
        return "ConsoleSession[" + who + " from " + address + "]"; // the CSRF token stays out of logs
    }
}
