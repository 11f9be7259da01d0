package ru.b24connector.robots;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import ru.b24connector.events.ApplicationTokenVerifier;
import ru.b24connector.events.PhpForm;
import ru.b24connector.events.PortalSecrets;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.jobs.InboxMessage;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Robot calls: accepted into the inbox (keyed by {@code event_token}, unique per robot run), run as jobs, and
 * answered to the portal with {@code bizproc.event.send}: the return values, or the error in the robot log.
 */
@ApplicationScoped
public class RobotService {

    public static final String SOURCE = "b24-robot";
    public static final String JOB = "b24.robot";

    public enum Outcome { STORED, DUPLICATE, UNKNOWN_ROBOT, FORGED, MALFORMED }

    @Inject
    Instance<Robot> robots;

    @Inject
    JobQueue jobs;

    @Inject
    Clock clock;

    @Inject
    ApplicationTokenVerifier verifier;

    @Inject
    Inbox inbox;

    @Inject
    PortalClient portal;

    public Outcome accept(String code, String body) {
        if (robot(code).isEmpty()) {
            return Outcome.UNKNOWN_ROBOT;
        }
        PhpForm form = PhpForm.parse(body);
        if (!verifier.verify(form)) {
            Log.warnf("Refused a call of robot %s: application token missing or wrong", code);
            return Outcome.FORGED;
        }
        Optional<String> eventToken = form.get("event_token").filter(t -> !t.isBlank());
        if (eventToken.isEmpty()) {
            return Outcome.MALFORMED;
        }
        Inbox.Accepted accepted = inbox.accept(SOURCE, runKey(code, eventToken.get()), code, PortalSecrets.redact(body), JOB);
        if (!accepted.duplicate()) {
            Log.infof("Accepted robot %s for %s as inbox %d", code, form.get("document_id", "2").orElse("?"),
                    accepted.inboxId());
        }
        return accepted.duplicate() ? Outcome.DUPLICATE : Outcome.STORED;
    }

    /** The inbox key of robot {@code code}'s run with this event token (the portal's id of one run). */
    static String runKey(String code, String eventToken) {
        return code + ":" + eventToken;
    }

    /**
     * Makes robot {@code code}'s run with this event token due now, if it is queued for later (it waited for
     * something that is over).
     */
    void runNow(String code, String eventToken) {
        QuarkusTransaction.requiringNew().call(() -> inbox.findId(SOURCE, runKey(code, eventToken))).ifPresent(id ->
                jobs.runBy(JOB, List.of(Inbox.jobKey(SOURCE, id)), clock.instant()));
    }

    public Optional<Robot> robot(String code) {
        return robots.stream().filter(r -> r.code().equals(code)).findFirst();
    }

    /** Rebuilds the call from its inbox row. */
    public RobotCall load(InboxMessage message) {
        PhpForm form = PhpForm.parse(message.body);
        Map<String, String> properties = new LinkedHashMap<>();
        form.map("properties").forEach((k, v) -> properties.put(k, v instanceof String s ? s : String.valueOf(v)));
        return new RobotCall(message.id, message.kind, form.get("workflow_id").orElse(""),
                form.get("event_token").orElse(""), form.get("document_id", "2").orElse(null), properties,
                !"N".equals(form.get("use_subscription").orElse("Y")),
                form.get("timeout_duration").map(RobotService::parseLong).orElse(0L),
                message.receivedAt.getEpochSecond(),
                form.get("auth", "user_id").map(RobotService::parseLong));
    }

    /** Completes the robot step in the portal with its return values and a log line. */
    public void answer(RobotCall call, RobotResult result) {
        send(call, result.returnValues(), result.logMessage());
    }

    /** Reports a failure to the robot's log; the step completes without return values. */
    public void reportFailure(RobotCall call, String message) {
        send(call, Map.of(), "b24-connector: " + message);
    }

    private void send(RobotCall call, Map<String, Object> returnValues, String logMessage) {
        if (!call.useSubscription()) {
            return; // the portal is not waiting for an answer
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("EVENT_TOKEN", call.eventToken());
        params.put("RETURN_VALUES", returnValues);
        if (logMessage != null) {
            params.put("LOG_MESSAGE", logMessage);
        }
        try {
            JsonNode ok = portal.call("bizproc.event.send", params);
            Log.infof("Robot %s answered for %s: %s", call.code(), call.documentId(), ok);
        } catch (PortalException.Rejected e) {
            // a used or expired event token: the step was answered already or timed out; nothing left to do
            Log.warnf("Robot %s: the portal no longer waits for this run (%s)", call.code(), e.code());
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
