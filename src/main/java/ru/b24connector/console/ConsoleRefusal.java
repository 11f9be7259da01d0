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

    /** {@code value} as a constant of {@code type}; null when blank; a 400 naming the field otherwise. */
    static <E extends Enum<E>> E enumParam(Class<E> type, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw badRequest(field + ": must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    static ConsoleRefusal notFound(String message) {
        return new ConsoleRefusal(404, message);
    }
}
