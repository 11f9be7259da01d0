package ru.b24connector.outage;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.portal.PortalClient;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test job that updates a deal in the portal and records the order jobs finished in. */
@ApplicationScoped
@Unremovable
class PortalUpdateJob implements JobHandler {

    static final String TYPE = "test.portal-update";
    static final List<Long> finished = new CopyOnWriteArrayList<>();

    @Inject
    PortalClient portal;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void handle(Job job) {
        portal.call("crm.deal.update", Map.of("id", 42, "fields", Map.of("COMMENTS", "job " + job.id)));
        finished.add(job.id);
    }
}
