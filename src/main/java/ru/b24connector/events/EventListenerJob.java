package ru.b24connector.events;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.MDC;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.PermanentJobFailure;

/** Runs one listener on one stored event. */
@ApplicationScoped
public class EventListenerJob implements JobHandler {

    static final String TYPE = "b24.event.listener";

    @Inject
    Inbox inbox;

    @Inject
    Instance<PortalEventListener> listeners;

    @Inject
    ObjectMapper json;

    @Inject
    OwnWrites ownWrites;

    /** One job per event and listener: a second queueing of the same pair is a no-op. */
    static String dedupKey(long inboxId, String listener) {
        return inboxId + ":" + listener;
    }

    static String payload(long inboxId, String listener) {
        return "{\"inboxId\":" + inboxId + ",\"listener\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(listener)) + "\"}";
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void handle(Job job) throws Exception {
        JsonNode payload = json.readTree(job.payload);
        String name = payload.path("listener").asText();
        PortalEventListener listener = listeners.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new PermanentJobFailure("no event listener named " + name));
        PortalEvent event = EventFanOutJob.load(inbox, payload.path("inboxId").asLong());
        if ("ONCRMDEALUPDATE".equals(event.event()) && event.entityId().isPresent()
                && ownWrites.isEcho(event.entityId().get(), event.ts())) {
            Log.debugf("%s of deal %d is the echo of the service's own stage move: not processed again", event.event(),
                    event.entityId().get());
            return;
        }
        MDC.put("event", event.event());
        event.entityId().ifPresent(id -> MDC.put("entityId", id));
        try {
            listener.on(event);
        } finally {
            MDC.remove("event");
            MDC.remove("entityId");
        }
    }
}
