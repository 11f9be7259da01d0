package ru.b24connector.portal;

/**
 * The portal refused or failed a call. Names the REST method and the portal's error code; never the URL, which
 * may carry the webhook secret or a token.
 */
public class PortalException extends RuntimeException {

    private final String method;
    private final String code;
    private final int httpStatus;

    public PortalException(String method, String code, int httpStatus, String description) {
        super(method + ": " + (code.isEmpty() ? "error" : code)
                + (description == null || description.isBlank() ? "" : " (" + description + ")")
                + (httpStatus > 0 ? " [HTTP " + httpStatus + "]" : ""));
        this.method = method;
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** REST method that failed, e.g. {@code crm.deal.add}. */
    public String method() {
        return method;
    }

    /** The portal's error code as sent ({@code QUERY_LIMIT_EXCEEDED}, {@code expired_token}; may be empty). */
    public String code() {
        return code;
    }

    /** HTTP status of the answer, 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The portal is rate limiting this client ({@code QUERY_LIMIT_EXCEEDED}); retried after a backoff. */
    public static class Throttled extends PortalException {
        public Throttled(String method, int status, String description) {
            super(method, "QUERY_LIMIT_EXCEEDED", status, description);
        }
    }

    /** The method's execution-time budget is spent ({@code OPERATION_TIME_LIMIT}); retried after the reset. */
    public static class OperationLimit extends PortalException {
        public OperationLimit(String method, int status, String description) {
            super(method, "OPERATION_TIME_LIMIT", status, description);
        }
    }

    /**
     * One command of a {@code batch} was refused for its method's time budget ({@code OPERATION_TIME_LIMIT} in
     * {@code result_error} of a 200 answer): the same wait as a whole call's refusal. The method is open again at
     * {@link #freeAt()}; nothing of the command was applied.
     */
    public static class CommandLimited extends OperationLimit {
        private final String key;
        private final java.time.Instant freeAt;

        public CommandLimited(String key, String method, java.time.Instant freeAt) {
            super(method, 200, "batch command '" + key + "' refused; the method is open again at " + freeAt);
            this.key = key;
            this.freeAt = freeAt;
        }

        public String key() {
            return key;
        }

        public java.time.Instant freeAt() {
            return freeAt;
        }
    }

    /**
     * Bitrix24 support has blocked this application's REST API ({@code OVERLOAD_LIMIT}, HTTP 503): a manual block
     * that only support lifts, not an outage. Calls stop (this is thrown without calling while the block holds) and
     * one probe now and then tells when it is lifted; jobs wait meanwhile, spending no attempts.
     */
    public static class Blocked extends Unavailable {
        public Blocked(String method, String description) {
            super(method, "OVERLOAD_LIMIT", 503, description, false);
        }
    }

    /**
     * Not sent: the call does not fit its methods' time budgets now and its caller asked not to wait for them
     * ({@link PortalBatch#withoutWaitingForBudget}); nothing reached the portal. Try again at {@link #freeAt()}.
     */
    public static class NoRoom extends PortalException {
        private final java.time.Instant freeAt;

        public NoRoom(String method, java.time.Instant freeAt) {
            super(method, "NO_ROOM", 0, "the time budget has no room for this call before " + freeAt);
            this.freeAt = freeAt;
        }

        public java.time.Instant freeAt() {
            return freeAt;
        }
    }

    /** The OAuth access token is expired or invalid; refreshed once, then retried. */
    public static class TokenExpired extends PortalException {
        public TokenExpired(String method, String code, int status, String description) {
            super(method, code, status, description);
        }
    }

    /**
     * The portal could not be reached, answered 5xx or did not answer in time.
     * {@link #mayHaveApplied()} tells whether the call could still have taken effect.
     */
    public static class Unavailable extends PortalException implements ru.b24connector.outage.OutageSignal {
        private final boolean mayHaveApplied;

        /**
         * Refused, reset, no answer, 5xx, circuit open: the portal is down. A non-JSON 4xx (a proxy's error page for a
         * wrong URL) is not, it would never get better by waiting.
         */
        @Override
        public java.util.Optional<ru.b24connector.outage.Dependency> outage() {
            return httpStatus() == 0 || httpStatus() >= 500
                    ? java.util.Optional.of(ru.b24connector.outage.Dependency.PORTAL) : java.util.Optional.empty();
        }

        public Unavailable(String method, String code, int status, String description, boolean mayHaveApplied) {
            super(method, code, status, description);
            this.mayHaveApplied = mayHaveApplied;
        }

        public boolean mayHaveApplied() {
            return mayHaveApplied;
        }
    }

    /** The portal rejected the call (bad parameters, access denied, not found): retrying will not help. */
    public static class Rejected extends PortalException {
        public Rejected(String method, String code, int status, String description) {
            super(method, code, status, description);
        }
    }

    /** One command of a {@code batch} failed; the others may have succeeded. */
    public static class CommandFailed extends PortalException {
        private final String key;

        public CommandFailed(String key, String method, String code, String description) {
            super(method, code, 0, "batch command '" + key + "': " + description);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** The portal is not configured (neither B24_WEBHOOK_URL nor an installed OAuth application). */
    public static class NotConfigured extends PortalException {
        public NotConfigured(String method, String description) {
            super(method, "NOT_CONFIGURED", 0, description);
        }
    }
}
