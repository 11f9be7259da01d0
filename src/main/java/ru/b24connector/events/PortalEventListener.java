package ru.b24connector.events;

/**
 * Reacts to portal events. Each accepted event becomes one job per listener, so a failing listener is retried on
 * its own and never re-runs the others. Listeners run at least once: they must be idempotent (re-read the
 * entity from the portal; events carry only its id).
 */
public interface PortalEventListener {

    /** Stable name, part of the job's idempotency key. */
    String name();

    /** Whether this listener wants events with this code ({@code ONCRMDEALUPDATE}, ...). */
    boolean accepts(String event);

    void on(PortalEvent event) throws Exception;
}
