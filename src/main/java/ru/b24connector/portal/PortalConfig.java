package ru.b24connector.portal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** How the service reaches the Bitrix24 portal, and the portal's limits it keeps to. */
@ConfigMapping(prefix = "b24")
public interface PortalConfig {

    /**
     * Incoming webhook base URL {@code https://<portal>/rest/<user>/<secret>/} (webhook mode). It embeds a secret:
     * it is never logged. Unset together with {@link #clientId()}: the portal is not configured.
     */
    Optional<@Pattern(regexp = "https?://[^/\\s]+/rest/\\d+/[^/\\s]+/?",
            message = "must look like https://<portal>/rest/<user id>/<secret>/") String> webhookUrl();

    /** Local application client id (OAuth mode); needs {@link #clientSecret()}. */
    Optional<String> clientId();

    /** Local application client secret (OAuth mode). */
    Optional<String> clientSecret();

    /**
     * OAuth token endpoint, as an override. Unset: the authorization server the portal named at installation
     * ({@code auth[server_endpoint]} / {@code SERVER_ENDPOINT}, {@code settings/oauth/auto-renewal.md}), and
     * {@code https://oauth.bitrix.info/oauth/token/} for an installation that named none.
     */
    Optional<URI> oauthUrl();

    /** {@code auth[application_token]} expected on inbound events and robot calls (else the one stored at install). */
    Optional<String> applicationToken();

    /** Deal pipeline (category) of the reclamation process; unset: provisioned at registration. */
    Optional<@Min(value = 0, message = "must be a pipeline id, 0 or more") Integer> reclamationCategoryId();

    /** Name of the reclamation pipeline the service creates when B24_RECLAMATION_CATEGORY_ID is unset. */
    @WithDefault("Рекламации")
    String reclamationCategoryName();

    /**
     * Marker passed as {@code auth_connector} on the service's own writes, so the portal does not echo them back as
     * (offline) events.
     */
    @WithDefault("b24connector")
    String authConnector();

    /** Time zone of the portal; dates sent to it carry this offset (task deadlines, filters). */
    @WithDefault("Europe/Moscow")
    java.time.ZoneId timeZone();

    /** The portal's request-rate limit (leaky bucket). */
    Rate rate();

    /** The portal's per-method execution-time budget. */
    Operating operating();

    /** HTTP behaviour towards the portal. */
    Http http();

    /** The portal's offline event queue, for when the portal cannot reach this service. */
    OfflineEvents offlineEvents();

    interface OfflineEvents {
        /** Bind events as offline and poll {@code event.offline.get} instead of receiving them (OAuth mode). */
        @WithDefault("false")
        boolean enabled();

        /** How often to poll the offline queue. */
        @WithDefault("30s")
        String every();
    }

    interface Rate {
        /** Requests per second the portal drains (2 on ordinary plans, 5 on Enterprise). */
        @WithDefault("2")
        @DecimalMin(value = "0.1", message = "must be at least 0.1 requests per second")
        double perSecond();

        /** Requests the portal lets through in a burst (50 on ordinary plans, 250 on Enterprise). */
        @WithDefault("50")
        @Min(value = 1, message = "must be at least 1")
        int burst();

        /** Keep the bucket in the database, shared by all replicas (off: per replica, in memory). */
        @WithDefault("true")
        boolean shared();

        /**
         * Longest pause after {@code QUERY_LIMIT_EXCEEDED}. The first pause is one request's drain time
         * ({@code 1 / per-second}); each further limit answer in a row makes it 3 % longer, up to this. The pause
         * holds every worker and replica (the shared schedule), not only the refused call.
         */
        @WithDefault("3s")
        Duration limitAnswerMaxPause();

        /**
         * How long one call keeps trying through {@code QUERY_LIMIT_EXCEEDED} answers; after that its job goes back
         * to the queue (a wait, never a spent attempt).
         */
        @WithDefault("60s")
        Duration limitAnswerPatience();
    }

    interface Operating {
        /** Seconds of execution per method per 10 minutes the portal allows. */
        @WithDefault("480")
        @Positive(message = "must be a positive number of seconds")
        double limitSeconds();

        /** Share of the budget the client spends at most; past it, calls of that method wait for the reset. */
        @WithDefault("0.9")
        @DecimalMin(value = "0.1", message = "must be between 0.1 and 1")
        @DecimalMax(value = "1.0", message = "must be between 0.1 and 1")
        double safetyShare();

        /**
         * Share of the budget a method spends as fast as calls come; beyond it, what is left up to the safety share
         * is spread evenly until the reset ({@code operating_reset_at}), so a tight budget is not spent and then
         * waited for. Capped at the safety share.
         */
        @WithDefault("0.5")
        @DecimalMin(value = "0", message = "must be between 0 and 1")
        @DecimalMax(value = "1.0", message = "must be between 0 and 1")
        double burstShare();

        /**
         * How long after {@code operating_reset_at} a method that waits for its reset is called again. The portal
         * reports the reset as a whole second and the docs do not say whether it rounds up or down: rounded down,
         * the oldest minute drops out up to a second after it; a call in that second is refused. {@code 0s} when the
         * portal is known to round up.
         */
        @WithDefault("1s")
        Duration resetSlack();
    }

    interface Http {
        /**
         * Attempts for one call when the method's time budget is spent ({@code OPERATION_TIME_LIMIT}); each waits for
         * the reset. {@code QUERY_LIMIT_EXCEEDED} is bounded by time instead ({@link Rate#limitAnswerPatience()}).
         */
        @WithDefault("8")
        @Min(value = 1, message = "must be at least 1")
        int throttleAttempts();

        /** Attempts for one call when the portal is unreachable, answers 5xx or times out. */
        @WithDefault("4")
        @Min(value = 1, message = "must be at least 1")
        int transportAttempts();

        /** First backoff after a failed attempt; doubles each time, with jitter. */
        @WithDefault("500ms")
        Duration backoff();

        /**
         * While Bitrix24 support blocks this application's REST API ({@code OVERLOAD_LIMIT}, a manual block), no call
         * goes out; one probe this often tells when the block is lifted.
         */
        @WithDefault("10m")
        Duration overloadProbeEvery();

        /** How long a readiness probe may reuse the last known portal state. */
        @WithDefault("60s")
        Duration healthCacheFor();
    }
}
