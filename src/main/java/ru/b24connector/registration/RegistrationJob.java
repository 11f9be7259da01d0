package ru.b24connector.registration;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.JobQueue;

import java.time.Clock;
import java.util.Map;

/** Runs registration as a job: at startup, after an installation, and when an administrator asks. */
@ApplicationScoped
public class RegistrationJob implements JobHandler {

    @Inject
    HandlerRegistrar registrar;

    @Inject
    JobQueue jobs;

    @Inject
    Clock clock;

    @Override
    public String type() {
        return InstallService.REGISTRATION_JOB;
    }

    @Inject
    PortalProvisioner provisioner;

    @Inject
    ru.b24connector.portal.PortalClient portal;

    @Override
    public void handle(Job job) {
        if (portal.configured()) {
            provisioner.provision();
        }
        registrar.reconcile();
    }

    /** One registration per start; as a job it survives a portal outage at boot and retries. */
    void atStartup(@Observes StartupEvent event) {
        jobs.enqueue(type(), "startup:" + clock.millis(), Map.of());
    }
}
