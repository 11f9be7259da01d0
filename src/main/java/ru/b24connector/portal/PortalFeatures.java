package ru.b24connector.portal;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the portal's plan offers, from {@code feature.get} ({@code api-reference/common/system/feature-get.md}):
 * {@code rest_auth_connector} (the {@code auth_connector} key, Professional plan and above) and
 * {@code rest_offline_extended} (the offline queue with confirmation). Asked at install and at start, kept in
 * {@code portal_feature} so every replica agrees; a feature never asked about counts as absent, because a call
 * without {@code auth_connector} always works and one with it is refused on a plan without it.
 */
@ApplicationScoped
public class PortalFeatures {

    /** {@code auth_connector} on event.bind, event.offline.get and CRM writes. */
    public static final String AUTH_CONNECTOR = "rest_auth_connector";
    /** The offline queue with {@code clear=0} / {@code process_id}. */
    public static final String OFFLINE_EXTENDED = "rest_offline_extended";

    private static final List<String> CODES = List.of(AUTH_CONNECTOR, OFFLINE_EXTENDED);

    private final Map<String, Boolean> known = new ConcurrentHashMap<>();
    /** Answers stored by another replica's check are picked up after this long. */
    private static final java.time.Duration RELOAD_EVERY = java.time.Duration.ofMinutes(5);

    private volatile java.time.Instant loadedAt;

    @Inject
    PortalClient portal;

    @Inject
    PortalConfig config;

    @Inject
    PortalCredentials credentials;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /**
     * Asks the portal about every feature the service uses and stores the answers. An answer that is not
     * {@code {"value":"Y"|"N"}} or an error the portal gives for the method (a box version without it) counts as
     * absent, with a log line; an unreachable portal keeps the last stored answers. Webhook mode needs neither
     * feature (both serve only an application's offline queue), so nothing is asked there.
     */
    public void refresh() {
        if (!credentials.oauthMode()) {
            return;
        }
        for (String code : CODES) {
            boolean available;
            try {
                String value = portal.call("feature.get", Map.of("CODE", code)).path("value").asText("");
                if (!value.equals("Y") && !value.equals("N")) {
                    Log.warnf("feature.get %s answered an unexpected value '%s': treated as not available", code, value);
                }
                available = value.equals("Y");
            } catch (PortalException.Rejected | PortalException.CommandFailed e) {
                Log.warnf("feature.get %s was refused (%s): treated as not available", code, e.getMessage());
                available = false;
            } catch (PortalException e) {
                Log.warnf("feature.get %s not answered (%s): the last known answer stays (%s)", code, e.getMessage(),
                        has(code) ? "available" : "not available");
                continue;
            }
            store(code, available);
        }
        Log.infof("Portal plan: auth_connector %s, offline queue with confirmation %s",
                has(AUTH_CONNECTOR) ? "available" : "not available", has(OFFLINE_EXTENDED) ? "available" : "not available");
        noteOfflineFallback();
    }

    /** Whether the plan has {@code code}, as last answered; false if never asked. */
    public boolean has(String code) {
        java.time.Instant at = loadedAt;
        if (at == null || at.plus(RELOAD_EVERY).isBefore(clock.instant())) {
            loadedAt = clock.instant();
            load();
        }
        return known.getOrDefault(code, false);
    }

    /**
     * Whether events come through the offline queue: B24_OFFLINE_EVENTS_ENABLED, OAuth mode (the queue is an
     * application's), and a plan with {@code rest_offline_extended}. Otherwise events are bound online.
     */
    public boolean offlineEvents() {
        return config.offlineEvents().enabled() && credentials.oauthMode() && has(OFFLINE_EXTENDED);
    }

    /**
     * Whether to send {@code auth_connector}: the plan has it, and it serves, i.e. events come through the offline
     * queue (the key keeps the service's own writes out of that queue; online events ignore it).
     */
    public boolean sendAuthConnector() {
        return offlineEvents() && has(AUTH_CONNECTOR);
    }

    /** One line at start (and install) when offline events were asked for but the plan cannot give them. */
    private void noteOfflineFallback() {
        if (config.offlineEvents().enabled() && credentials.oauthMode() && !has(OFFLINE_EXTENDED)) {
            Log.warn("B24_OFFLINE_EVENTS_ENABLED=true, but the portal's plan has no offline queue with confirmation "
                    + "(feature.get rest_offline_extended = N): events are bound online to /b24/events instead");
        }
    }

    /** Stores an answer (also used by tests that stand in for a plan). */
    public void store(String code, boolean available) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO portal_feature (code, available, checked_at) VALUES (?1, ?2, ?3)
                        ON DUPLICATE KEY UPDATE available = VALUES(available), checked_at = VALUES(checked_at)""")
                .setParameter(1, code).setParameter(2, available).setParameter(3, Timestamp.from(clock.instant()))
                .executeUpdate());
        known.put(code, available);
    }

    @SuppressWarnings("unchecked")
    private void load() {
        try {
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "SELECT code, available FROM portal_feature").getResultList());
            for (Object[] row : rows) {
                known.put(String.valueOf(row[0]), row[1] instanceof Boolean b ? b : ((Number) row[1]).intValue() != 0);
            }
        } catch (RuntimeException e) {
            loadedAt = null; // the database is away: the last answers (or absent) for now, read again next time
            Log.debugf("Portal features not read: %s", e.toString());
        }
    }
}
