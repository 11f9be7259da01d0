package ru.b24connector.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.portal.PortalCredentials;
import ru.b24connector.portal.PortalFeatures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the portal cannot reach the service, it keeps events in its offline queue; this poller reserves a batch
 * ({@code event.offline.get} with {@code clear=0}, which hides it under a {@code process_id}), records the
 * {@code process_id} in {@code offline_event_batch}, stores the events in the same inbox as online events, and only
 * then clears what it stored ({@code event.offline.clear} with that {@code process_id} and the stored
 * {@code message_id}s). Records that cannot be stored are marked with {@code event.offline.error}. After a crash
 * the recorded {@code process_id} is read again first, so a reserved batch is never left hidden for its 30 days.
 * ({@code api-reference/events/offline-events.md}, {@code event-offline-get.md}, {@code event-offline-clear.md},
 * {@code event-offline-error.md})
 */
@ApplicationScoped
public class OfflineEventPoller {

    private static final int LIMIT = 50;
    /** Older portals (and the stand-ins of earlier tests) gave dates as {@code dd.MM.yyyy HH:mm:ss} in portal time. */
    private static final DateTimeFormatter LEGACY_TIMESTAMP = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");

    @Inject
    PortalClient portal;

    @Inject
    PortalCredentials credentials;

    @Inject
    PortalConfig config;

    @Inject
    PortalFeatures features;

    @Inject
    Inbox inbox;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    ru.b24connector.cluster.PeriodGate gate;

    @Scheduled(identity = "offline-events", every = "${b24.offline-events.every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        if (features.offlineEvents() && credentials.configured()
                && gate.tryStart("offline-events", io.quarkus.runtime.configuration.DurationConverter
                .parseDuration(config.offlineEvents().every()))) {
            pollOnce();
        }
    }

    /** Drains the offline queue, batches left reserved by an earlier run first; returns how many events were stored. */
    public int pollOnce() {
        int stored = 0;
        for (String processId : reservedBatches()) {
            Log.infof("Reading again the offline batch %s reserved before a restart", processId);
            stored += drain(processId).stored();
        }
        while (true) {
            Batch batch = drain(null);
            stored += batch.stored();
            if (batch.read() < LIMIT) {
                if (stored > 0) {
                    Log.infof("Stored %d offline event(s)", stored);
                }
                return stored;
            }
        }
    }

    private record Batch(int read, int stored) {
    }

    /** Reserves (or, with a recorded {@code processId}, re-reads) one batch, stores it and clears what was stored. */
    private Batch drain(String recordedProcessId) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("clear", 0);
        params.put("limit", LIMIT);
        if (recordedProcessId != null) {
            params.put("process_id", recordedProcessId);
        }
        if (features.has(PortalFeatures.AUTH_CONNECTOR)) {
            params.put("auth_connector", config.authConnector()); // the queue the offline handlers were bound with
        }
        JsonNode result = portal.call("event.offline.get", params);
        JsonNode events = result.path("events");
        String processId = result.path("process_id").asText(recordedProcessId == null ? "" : recordedProcessId);
        if (events.isEmpty()) {
            if (recordedProcessId != null) {
                forget(recordedProcessId);
            }
            return new Batch(0, 0);
        }
        if (processId.isBlank() || "null".equals(processId)) {
            // clear=0 must reserve; without a process_id nothing can be cleared or re-read: store, then say so
            Log.errorf("event.offline.get answered %d event(s) without a process_id: stored, but they cannot be "
                    + "cleared; the portal may hand them out again (stored once all the same)", events.size());
        } else if (recordedProcessId == null) {
            remember(processId);
        }
        List<String> storedIds = new ArrayList<>();
        List<String> failedIds = new ArrayList<>();
        for (JsonNode event : events) {
            String name = event.path("EVENT_NAME").asText("").trim().toUpperCase(Locale.ROOT);
            String messageId = event.path("MESSAGE_ID").asText(event.path("ID").asText(""));
            if (name.isEmpty() || messageId.isEmpty()) {
                Log.warnf("Offline event without EVENT_NAME or MESSAGE_ID (ID %s): marked as failed with "
                        + "event.offline.error", event.path("ID").asText("?"));
                if (!messageId.isEmpty()) {
                    failedIds.add(messageId);
                }
                continue;
            }
            inbox.accept(PortalEventService.SOURCE, "offline:" + messageId, name, asForm(name, event),
                    PortalEventService.JOB);
            storedIds.add(messageId);
        }
        if (!processId.isBlank() && !"null".equals(processId)) {
            if (!failedIds.isEmpty()) {
                portal.call("event.offline.error", Map.of("process_id", processId, "message_id", failedIds));
            }
            if (!storedIds.isEmpty()) {
                portal.call("event.offline.clear", Map.of("process_id", processId, "message_id", storedIds));
            }
            forget(processId);
            return new Batch(events.size(), storedIds.size());
        }
        return new Batch(0, storedIds.size()); // not reserved: reading on would hand out the same rows again
    }

    @SuppressWarnings("unchecked")
    private List<String> reservedBatches() {
        return QuarkusTransaction.requiringNew().call(() -> (List<String>) em.createNativeQuery(
                "SELECT process_id FROM offline_event_batch ORDER BY reserved_at").getResultList());
    }

    private void remember(String processId) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "INSERT IGNORE INTO offline_event_batch (process_id, reserved_at) VALUES (?1, ?2)")
                .setParameter(1, processId).setParameter(2, Timestamp.from(clock.instant())).executeUpdate());
    }

    private void forget(String processId) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "DELETE FROM offline_event_batch WHERE process_id = ?1").setParameter(1, processId).executeUpdate());
    }

    /** The offline event in the shape of an online one, so listeners see one format. */
    private String asForm(String name, JsonNode event) {
        StringJoiner form = new StringJoiner("&");
        form.add("event=" + enc(name));
        flatten("data", event.path("EVENT_DATA"), form);
        form.add("ts=" + timestamp(event.path("TIMESTAMP_X").asText("")));
        form.add("offline=1");
        return form.toString();
    }

    private static void flatten(String key, JsonNode node, StringJoiner form) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(key + "[" + field.getKey() + "]", field.getValue(), form);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(key + "[" + i + "]", node.get(i), form);
            }
        } else if (!node.isMissingNode() && !node.isNull()) {
            form.add(enc(key) + "=" + enc(node.asText()));
        }
    }

    /** {@code TIMESTAMP_X}: ISO 8601 with an offset ({@code 2024-07-18T12:32:31+02:00}, event-offline-get.md). */
    private long timestamp(String portalTimestamp) {
        try {
            return OffsetDateTime.parse(portalTimestamp).toEpochSecond();
        } catch (DateTimeParseException iso) {
            try {
                return LocalDateTime.parse(portalTimestamp, LEGACY_TIMESTAMP).atZone(config.timeZone()).toEpochSecond();
            } catch (DateTimeParseException legacy) {
                Log.warnf("Offline event with an unreadable TIMESTAMP_X '%s': stored without a time", portalTimestamp);
                return 0;
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
