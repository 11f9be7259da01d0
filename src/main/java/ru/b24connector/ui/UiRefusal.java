package ru.b24connector.ui;

/** A page request refused with a status and a plain page that shows no data; the reason goes to the log only. */
public class UiRefusal extends RuntimeException {

    private final int status;

    public UiRefusal(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static UiRefusal unauthorized(String reason) {
        return new UiRefusal(401, reason);
    }

    static UiRefusal forbidden(String reason) {
        return new UiRefusal(403, reason);
    }

    static UiRefusal badRequest(String reason) {
        return new UiRefusal(400, reason);
    }
}
