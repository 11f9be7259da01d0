package ru.b24connector.tasks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.events.PortalEvent;
import ru.b24connector.events.PortalEventListener;

/** Keeps tracked tasks in step with the portal: {@code ONTASKUPDATE} carries only the id, so re-read the task. */
@ApplicationScoped
public class TaskEventListener implements PortalEventListener {

    @Inject
    TaskService tasks;

    @Override
    public String name() {
        return "tracked-tasks";
    }

    @Override
    public boolean accepts(String event) {
        return "ONTASKUPDATE".equals(event);
    }

    @Override
    public void on(PortalEvent event) {
        event.entityId().ifPresent(tasks::refresh);
    }
}
