package ru.b24connector.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.PermanentJobFailure;

/**
 * Turns one stored event into one job per interested listener, keyed by inbox row and listener, so a failing
 * listener is retried alone and a re-run of this fan-out queues nothing twice. Online events queue their listener
 * jobs with the inbox row ({@link PortalEventService}); this job remains for offline events and for rows queued
 * before that change.
 */
@ApplicationScoped
public class EventFanOutJob implements JobHandler {

    @Inject
    Inbox inbox;

    @Inject
    JobQueue jobs;

    @Inject
    Instance<PortalEventListener> listeners;

    @Override
    public String type() {
        return PortalEventService.JOB;
    }

    @Override
    public void handle(Job job) {
        PortalEvent event = load(inbox, job.inboxId);
        for (PortalEventListener listener : listeners) {
            if (listener.accepts(event.event())) {
                jobs.enqueue(EventListenerJob.TYPE, EventListenerJob.dedupKey(event.inboxId(), listener.name()),
                        EventListenerJob.payload(event.inboxId(), listener.name()), null, event.inboxId());
            }
        }
    }

    static PortalEvent load(Inbox inbox, Long inboxId) {
        if (inboxId == null) {
            throw new PermanentJobFailure("event job without an inbox row");
        }
        return inbox.find(inboxId)
                .map(m -> new PortalEvent(m.id, m.kind, PhpForm.parse(m.body)))
                .orElseThrow(() -> new PermanentJobFailure("inbox row " + inboxId + " is gone"));
    }
}
