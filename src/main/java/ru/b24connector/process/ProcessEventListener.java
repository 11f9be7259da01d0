package ru.b24connector.process;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.events.PortalEvent;
import ru.b24connector.events.PortalEventListener;

/** Deal added or updated: the event carries only the id, so the engine re-reads the deal and compares stages. */
@ApplicationScoped
public class ProcessEventListener implements PortalEventListener {

    @Inject
    ProcessService process;

    @Override
    public String name() {
        return "process";
    }

    @Override
    public boolean accepts(String event) {
        return "ONCRMDEALADD".equals(event) || "ONCRMDEALUPDATE".equals(event);
    }

    @Override
    public void on(PortalEvent event) {
        event.entityId().ifPresent(process::observeDeal);
    }
}
