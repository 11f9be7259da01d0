package ru.b24connector.registration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.events.PortalEventListener;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalCredentials;
import ru.b24connector.portal.PortalException;
import ru.b24connector.robots.Robot;
import ru.b24connector.robots.RobotDefinition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes the portal's event bindings and robots match what this service handles, with handler URLs built from
 * APP_PUBLIC_URL. Idempotent: a second run with nothing changed makes read calls only.
 */
@ApplicationScoped
public class HandlerRegistrar {

    /** Events the service can handle; bound when some listener wants them. */
    static final List<String> KNOWN_EVENTS = List.of("ONCRMDEALADD", "ONCRMDEALUPDATE", "ONCRMDEALDELETE",
            "ONTASKADD", "ONTASKUPDATE", "ONTASKDELETE");

    /** What a reconciliation did. */
    public record Report(String mode, List<String> changes, String note) {
    }

    /**
     * Where registration stands, without asking the portal: the mode, what the service binds (events, robots,
     * placements), the robots recorded as registered, and the last reconciliation of this replica.
     */
    public record Status(String mode, List<String> events, List<String> robots, List<String> placements,
                         List<String> registeredRobots, Report last, Instant lastAt, String note) {
    }

    private final AtomicBoolean webhookNoteLogged = new AtomicBoolean();
    private volatile Report lastReport;
    private volatile Instant lastReportAt;
    private final ObjectMapper canonical = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Inject
    PortalClient portal;

    @Inject
    PortalCredentials credentials;

    @Inject
    AppConfig app;

    @Inject
    ru.b24connector.portal.PortalConfig portalConfig;

    @Inject
    ru.b24connector.portal.PortalFeatures features;

    @Inject
    Instance<PortalEventListener> listeners;

    @Inject
    Instance<Robot> robots;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    public Report reconcile() {
        Report report = reconcileNow();
        lastReport = report;
        lastReportAt = clock.instant();
        return report;
    }

    /** See {@link Status}. */
    @SuppressWarnings("unchecked")
    public Status status() {
        String mode = !credentials.oauthMode() ? "webhook" : app.publicUrl().isEmpty() ? "none" : "oauth";
        String note = switch (mode) {
            case "none" -> "APP_PUBLIC_URL is not set: handlers cannot be registered";
            case "webhook" -> app.publicUrl().isPresent() ? manualSetupNote()
                    : "Webhook mode: an administrator creates an outgoing webhook in the portal with URL "
                    + "<this service's public address>/b24/events and the events " + String.join(", ", wantedEvents())
                    + " (set APP_PUBLIC_URL to have the exact address shown here).";
            default -> null;
        };
        List<String> registered = QuarkusTransaction.requiringNew().call(() -> (List<String>) em.createNativeQuery(
                "SELECT code FROM registration_state WHERE kind = 'robot' ORDER BY code").getResultList());
        return new Status(mode, List.copyOf(wantedEvents()), robots.stream().map(Robot::code).sorted().toList(),
                PLACEMENTS.stream().map(Placement::code).toList(), registered, lastReport, lastReportAt, note);
    }

    private Report reconcileNow() {
        if (app.publicUrl().isEmpty()) {
            return new Report("none", List.of(), "APP_PUBLIC_URL is not set: handlers cannot be registered");
        }
        if (!credentials.oauthMode()) {
            String note = manualSetupNote();
            if (webhookNoteLogged.compareAndSet(false, true)) {
                Log.warn(note);
            }
            return new Report("webhook", List.of(), note);
        }
        List<String> changes = new ArrayList<>();
        reconcileEvents(changes);
        reconcileRobots(changes);
        reconcilePlacements(changes);
        Log.infof("Registration reconciled: %s", changes.isEmpty() ? "nothing to change" : String.join(", ", changes));
        return new Report("oauth", changes, null);
    }

    /** Event codes the listeners want. */
    Set<String> wantedEvents() {
        Set<String> wanted = new LinkedHashSet<>();
        for (String event : KNOWN_EVENTS) {
            if (listeners.stream().anyMatch(l -> l.accepts(event))) {
                wanted.add(event);
            }
        }
        return wanted;
    }

    private void reconcileEvents(List<String> changes) {
        String handler = url("/b24/events");
        Set<String> bound = new LinkedHashSet<>();
        for (JsonNode binding : PortalClient.itemsOf(portal.call("event.get", Map.of()))) {
            String event = binding.path("event").asText().toUpperCase();
            String boundHandler = binding.path("handler").asText();
            if (!boundHandler.startsWith(base())) {
                continue; // someone else's handler
            }
            if (boundHandler.equals(handler) && wantedEvents().contains(event)) {
                bound.add(event);
            } else {
                portal.call("event.unbind", Map.of("event", event, "handler", boundHandler));
                changes.add("unbound " + event);
            }
        }
        if (features.offlineEvents()) {
            bindOffline(changes);
            return;
        }
        for (String event : wantedEvents()) {
            if (!bound.contains(event)) {
                bind(Map.of("event", event, "handler", handler));
                changes.add("bound " + event);
            }
        }
    }

    /**
     * {@code event.bind}; a handler that is already bound counts as bound. The portal says so with
     * {@code ERROR_CORE} ("Handler already binded", or "Process of binding ... already started" while another
     * replica's bind of the same handler runs); older portals said {@code ERROR_HANDLER_ALREADY_EXIST}.
     */
    private void bind(Map<String, Object> params) {
        try {
            portal.call("event.bind", params);
        } catch (PortalException.Rejected e) {
            if (!alreadyBound(e)) {
                throw e;
            }
            Log.infof("event.bind %s: already bound (%s)", params.get("event"), e.getMessage());
        }
    }

    static boolean alreadyBound(PortalException e) {
        if ("ERROR_HANDLER_ALREADY_EXIST".equalsIgnoreCase(e.code())) {
            return true;
        }
        String message = e.getMessage().toLowerCase(java.util.Locale.ROOT);
        return "ERROR_CORE".equalsIgnoreCase(e.code())
                && (message.contains("already binded") || message.contains("already bound")
                || (message.contains("process of binding") && message.contains("already started")));
    }

    /** Offline bindings have no handler; the poller reads them. */
    private void bindOffline(List<String> changes) {
        Set<String> offline = new LinkedHashSet<>();
        for (JsonNode binding : PortalClient.itemsOf(portal.call("event.get", Map.of()))) {
            if (binding.path("offline").asInt() == 1) {
                offline.add(binding.path("event").asText().toUpperCase());
            }
        }
        for (String event : wantedEvents()) {
            if (!offline.contains(event)) {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("event", event);
                params.put("event_type", "offline");
                if (features.has(ru.b24connector.portal.PortalFeatures.AUTH_CONNECTOR)) {
                    // its own queue: the service's writes, sent with the same key, stay out of it
                    params.put("auth_connector", portalConfig.authConnector());
                }
                bind(params);
                changes.add("bound " + event + " (offline)");
            }
        }
    }

    private void reconcileRobots(List<String> changes) {
        Set<String> registered = new LinkedHashSet<>();
        for (JsonNode code : PortalClient.itemsOf(portal.call("bizproc.robot.list", Map.of()))) {
            registered.add(code.asText());
        }
        Set<String> ours = new LinkedHashSet<>();
        for (Robot robot : robots) {
            ours.add(robot.code());
            Map<String, Object> fields = robotFields(robot);
            String fingerprint = fingerprint(fields);
            boolean unchanged = fingerprint.equals(storedFingerprint(robot.code()).orElse(null));
            if (registered.contains(robot.code()) && unchanged) {
                continue;
            }
            if (registered.contains(robot.code())) {
                portal.call("bizproc.robot.update", Map.of("CODE", robot.code(), "FIELDS", fields));
                changes.add("updated robot " + robot.code());
            } else {
                Map<String, Object> add = new LinkedHashMap<>(fields);
                add.put("CODE", robot.code());
                try {
                    portal.call("bizproc.robot.add", add);
                } catch (PortalException.Rejected e) {
                    if (!"ERROR_ACTIVITY_ALREADY_INSTALLED".equalsIgnoreCase(e.code())) {
                        throw e;
                    }
                    portal.call("bizproc.robot.update", Map.of("CODE", robot.code(), "FIELDS", fields));
                }
                changes.add("added robot " + robot.code());
            }
            storeFingerprint(robot.code(), fingerprint);
        }
        for (String code : registered) {
            if (!ours.contains(code)) {
                portal.call("bizproc.robot.delete", Map.of("CODE", code));
                changes.add("deleted robot " + code);
            }
        }
    }

    /** A placement the service binds: the deal-card tab and the supervisor's board in the left menu. */
    record Placement(String code, String path, String titleRu, String titleEn) {
    }

    static final List<Placement> PLACEMENTS = List.of(
            new Placement("CRM_DEAL_DETAIL_TAB", "/ui/card", "Рекламация", "Reclamation"),
            new Placement("LEFT_MENU", "/ui/board", "Доска рекламаций", "Reclamation board"));

    /** Binds the placements that are missing or differ; unbinds ours that are no longer wanted. */
    private void reconcilePlacements(List<String> changes) {
        Set<String> kept = new LinkedHashSet<>();
        for (JsonNode bound : PortalClient.itemsOf(portal.call("placement.get", Map.of()))) {
            String code = bound.path("placement").asText();
            String handler = bound.path("handler").asText();
            if (!handler.startsWith(base())) {
                continue; // someone else's handler
            }
            Optional<Placement> wanted = PLACEMENTS.stream()
                    .filter(p -> p.code().equals(code) && url(p.path()).equals(handler)).findFirst();
            if (wanted.isPresent() && wanted.get().titleRu().equals(bound.path("title").asText())
                    && !kept.contains(code)) {
                kept.add(code);
            } else {
                portal.call("placement.unbind", Map.of("PLACEMENT", code, "HANDLER", handler));
                changes.add("unbound placement " + code);
            }
        }
        for (Placement p : PLACEMENTS) {
            if (!kept.contains(p.code())) {
                portal.call("placement.bind", Map.of("PLACEMENT", p.code(), "HANDLER", url(p.path()),
                        "TITLE", p.titleRu(), "LANG_ALL", Map.of("ru", Map.of("TITLE", p.titleRu()),
                                "en", Map.of("TITLE", p.titleEn()))));
                changes.add("bound placement " + p.code());
            }
        }
    }

    /** {@code bizproc.robot.add} fields of a robot (without CODE). */
    Map<String, Object> robotFields(Robot robot) {
        RobotDefinition definition = robot.definition();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("HANDLER", url("/b24/robots/" + robot.code()));
        fields.put("AUTH_USER_ID", 1);
        fields.put("USE_SUBSCRIPTION", "Y");
        fields.put("NAME", definition.name());
        fields.put("DESCRIPTION", definition.description());
        fields.put("DOCUMENT_TYPE", List.of("crm", "CCrmDocumentDeal", "DEAL"));
        fields.put("PROPERTIES", properties(definition.properties()));
        fields.put("RETURN_PROPERTIES", properties(definition.returnProperties()));
        return fields;
    }

    private static Map<String, Object> properties(Map<String, RobotDefinition.Property> properties) {
        Map<String, Object> out = new LinkedHashMap<>();
        properties.forEach((code, p) -> {
            Map<String, Object> property = new LinkedHashMap<>();
            property.put("Name", p.name());
            if (!p.description().isEmpty()) {
                property.put("Description", p.description());
            }
            property.put("Type", p.type());
            property.put("Required", p.required() ? "Y" : "N");
            property.put("Multiple", p.multiple() ? "Y" : "N");
            if (p.defaultValue() != null) {
                property.put("Default", p.defaultValue());
            }
            if (!p.options().isEmpty()) {
                property.put("Options", new TreeMap<>(p.options()));
            }
            out.put(code, property);
        });
        return out;
    }

    private String manualSetupNote() {
        return "Webhook mode: the portal lets only a local application bind events and register robots. To receive "
                + "events, an administrator creates an outgoing webhook (Developer resources > Other > Outgoing "
                + "webhook) with URL " + url("/b24/events") + " and the events " + String.join(", ", wantedEvents())
                + ", and sets B24_APPLICATION_TOKEN to the application token it shows. Robots need OAuth mode "
                + "(B24_CLIENT_ID, B24_CLIENT_SECRET). The deal-card tab and the supervisor's board cannot be bound "
                + "either (placement.bind needs an application); cards are in the operations console (/admin, Find a deal) "
                + "and at GET /admin/ui/deals/{id}.";
    }

    private String base() {
        String base = app.publicUrl().orElseThrow().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private String url(String path) {
        return base() + path;
    }

    private String fingerprint(Map<String, Object> fields) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.writeValueAsString(fields)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<String> storedFingerprint(String code) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT fingerprint FROM registration_state WHERE kind = 'robot' AND code = ?1", String.class)
                .setParameter(1, code).getResultStream().findFirst().map(String::valueOf));
    }

    private void storeFingerprint(String code, String fingerprint) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO registration_state (kind, code, fingerprint, updated_at) VALUES ('robot', ?1, ?2, ?3)
                        ON DUPLICATE KEY UPDATE fingerprint = VALUES(fingerprint), updated_at = VALUES(updated_at)""")
                .setParameter(1, code).setParameter(2, fingerprint).setParameter(3, Timestamp.from(clock.instant()))
                .executeUpdate());
    }
}
