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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the portal cannot reach the service, it keeps events in its offline queue; this poller reads them
 * ({@code event.offline.get} with {@code clear=0}), stores them in the same inbox as online events, and only then
 * clears them ({@code event.offline.clear}), so a crash in between re-reads rather than loses them.
 */
@ApplicationScoped
public class OfflineEventPoller {

    private static final int LIMIT = 50;
    private static final DateTimeFormatter PORTAL_TIMESTAMP = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");

    @Inject
    PortalClient portal;

    @Inject
    PortalCredentials credentials;

    @Inject
    PortalConfig config;

    @Inject
    Inbox inbox;

    @Inject
    ru.b24connector.cluster.PeriodGate gate;

    @Scheduled(identity = "offline-events", every = "${b24.offline-events.every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        if (config.offlineEvents().enabled() && credentials.oauthMode() && credentials.configured()
                && gate.tryStart("offline-events", io.quarkus.runtime.configuration.DurationConverter
                .parseDuration(config.offlineEvents().every()))) {
            pollOnce();
        }
    }

    /** Drains the offline queue; returns how many events were stored. */
    public int pollOnce() {
        int stored = 0;
        while (true) {
            JsonNode result = portal.call("event.offline.get", Map.of("clear", 0, "limit", LIMIT,
                    "auth_connector", config.authConnector()));
            String processId = result.path("process_id").asText("");
            List<String> messageIds = new ArrayList<>();
            for (JsonNode event : result.path("events")) {
                String name = event.path("EVENT_NAME").asText().toUpperCase();
                String messageId = event.path("MESSAGE_ID").asText(event.path("ID").asText());
                inbox.accept(PortalEventService.SOURCE, "offline:" + messageId, name, asForm(name, event),
                        PortalEventService.JOB);
                messageIds.add(messageId);
                stored++;
            }
            if (!messageIds.isEmpty()) {
                portal.call("event.offline.clear", Map.of("process_id", processId, "message_id", messageIds));
            }
            if (messageIds.size() < LIMIT) {
                if (stored > 0) {
                    Log.infof("Stored %d offline event(s)", stored);
                }
                return stored;
            }
        }
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

    private long timestamp(String portalTimestamp) {
        try {
            return LocalDateTime.parse(portalTimestamp, PORTAL_TIMESTAMP).atZone(config.timeZone()).toEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
