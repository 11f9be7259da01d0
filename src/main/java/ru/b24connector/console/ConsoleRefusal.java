package ru.b24connector.console;

/** A console request refused with {@code status}; shown as a short page (see {@link ConsoleGate}). */
class ConsoleRefusal extends RuntimeException {

    final int status;

    ConsoleRefusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ConsoleRefusal badRequest(String message) {
        return new ConsoleRefusal(400, message);
    }

    static ConsoleRefusal notFound(String message) {
        return new ConsoleRefusal(404, message);
    }
}
