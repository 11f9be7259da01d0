package ru.b24connector.events;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import ru.b24connector.jobs.InboxWriter;
import ru.b24connector.portal.PortalInstallation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Accepts portal events: verifies the application token, stores the event in the inbox with its job, and
 * nothing else, so the portal gets its answer in milliseconds. The same event delivered twice is stored once.
 */
@ApplicationScoped
public class PortalEventService {

    /** The inbox source of portal events. */
    public static final String SOURCE = "b24-event";
    /**
     * The job that fans an event out to its listeners. Online events no longer queue it (their listener jobs are
     * queued with the inbox row); it still runs for rows queued before, and for offline events.
     */
    public static final String JOB = "b24.event";

    /** What happened to a posted event. */
    public enum Status { STORED, DUPLICATE, IGNORED, FORGED, MALFORMED }

    public record Outcome(Status status, String event) {
    }

    private static final Set<String> ALWAYS_STORED = Set.of("ONAPPUNINSTALL");

    @Inject
    InboxWriter writer;

    @Inject
    ApplicationTokenVerifier verifier;

    @Inject
    Instance<PortalEventListener> listeners;

    @Inject
    PortalInstallation installation;

    /** The listener beans, resolved once: this runs for every posted event. */
    private volatile List<PortalEventListener> resolved;

    /**
     * Accepts a posted event. The answer is ready once the event is committed to the inbox, in one transaction with
     * whatever other events arrived at the same moment ({@link InboxWriter}); no thread waits for the commit.
     */
    public Uni<Outcome> accept(String body) {
        PhpForm form = PhpForm.parse(body);
        String event = form.get("event").map(e -> e.trim().toUpperCase(Locale.ROOT)).orElse("");
        if (event.isEmpty()) {
            return Uni.createFrom().item(new Outcome(Status.MALFORMED, event));
        }
        if ("ONAPPINSTALL".equals(event) || !verifier.verifiesWithoutLookup()) {
            // the installation and the token stored at install read the database: not on the event loop
            return Uni.createFrom().item(() -> refusal(event, form))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .flatMap(refused -> refused != null ? Uni.createFrom().item(refused) : store(event, form, body));
        }
        Outcome refused = refusal(event, form);
        return refused != null ? Uni.createFrom().item(refused) : store(event, form, body);
    }

    /** The outcome of an event that is not to be stored (installed, forged, ignored), or null to store it. */
    private Outcome refusal(String event, PhpForm form) {
        if ("ONAPPINSTALL".equals(event)) {
            PortalInstallation.Outcome installed = installation.install(InstallForm.read(PhpForm.parse(""), form));
            return new Outcome(installed == PortalInstallation.Outcome.INSTALLED ? Status.STORED : Status.FORGED, event);
        }
        if (!verifier.verify(form)) {
            Log.warnf("Refused %s: application token missing or wrong", event);
            return new Outcome(Status.FORGED, event);
        }
        if (!ALWAYS_STORED.contains(event) && listeners().stream().noneMatch(l -> l.accepts(event))) {
            return new Outcome(Status.IGNORED, event);
        }
        return null;
    }

    private Uni<Outcome> store(String event, PhpForm form, String body) {
        return Uni.createFrom().completionStage(
                writer.accept(SOURCE, dedupKey(event, form), event, PortalSecrets.redact(body),
                        listenerJobs(event), InboxWriter.Repeat.FOLD_WHILE_UNSTARTED)).map(accepted -> {
                    if (!accepted.duplicate()) {
                        Log.infof("Accepted %s %s as inbox %d", event, form.get("data", "FIELDS", "ID")
                                .or(() -> form.get("data", "FIELDS_AFTER", "ID")).orElse(""), accepted.inboxId());
                    }
                    return new Outcome(accepted.duplicate() ? Status.DUPLICATE : Status.STORED, event);
                });
    }

    /**
     * One {@link EventListenerJob} per interested listener, queued in the transaction that stores the event: the
     * same jobs, keys and payloads {@link EventFanOutJob} queues, without a fan-out job in between.
     */
    private InboxWriter.JobPlan listenerJobs(String event) {
        List<String> names = new ArrayList<>();
        for (PortalEventListener listener : listeners()) {
            if (listener.accepts(event)) {
                names.add(listener.name());
            }
        }
        return inboxId -> {
            List<InboxWriter.PlannedJob> jobs = new ArrayList<>(names.size());
            for (String name : names) {
                jobs.add(new InboxWriter.PlannedJob(EventListenerJob.TYPE, EventListenerJob.dedupKey(inboxId, name),
                        EventListenerJob.payload(inboxId, name)));
            }
            return jobs;
        };
    }

    private List<PortalEventListener> listeners() {
        List<PortalEventListener> all = resolved;
        if (all == null) {
            resolved = all = listeners.stream().toList();
        }
        return all;
    }

    /**
     * Events carry no id: the portal's documented identity is member, event, entity and dispatch time (seconds).
     * Two changes of one entity in one second share this key, so a repeat is not dropped as a duplicate: it folds
     * into the earlier delivery only while that one's listener jobs have not started (they will read the entity
     * after both changes), and otherwise gets jobs of its own ({@link InboxWriter.Repeat#FOLD_WHILE_UNSTARTED}).
     */
    public static String dedupKey(String event, PhpForm form) {
        String entity = form.get("data", "FIELDS", "ID").or(() -> form.get("data", "FIELDS_AFTER", "ID")).orElse("-");
        return event + ":" + entity + ":" + form.get("ts").orElse("-") + ":" + form.get("auth", "member_id").orElse("-");
    }
}
