package ru.b24connector.registration;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.JobsConfig;
import io.quarkus.logging.Log;

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

    @Inject
    ru.b24connector.portal.PortalFeatures features;

    @Override
    public void handle(Job job) {
        if (portal.configured()) {
            features.refresh(); // the plan decides auth_connector and offline events: asked at start and install
            provisioner.provision();
        }
        registrar.reconcile();
    }

    /**
     * One registration per start; as a job it survives a portal outage at boot and retries. With background
     * workers it is queued just after start, so readiness does not wait for the first write.
     */
    void atStartup(@Observes StartupEvent event, JobsConfig jobsConfig) {
        Runnable enqueue = () -> jobs.enqueue(type(), "startup:" + clock.millis(), Map.of());
        if (!jobsConfig.runInBackground()) {
            enqueue.run();
            return;
        }
        Thread later = new Thread(() -> {
            try {
                enqueue.run();
            } catch (RuntimeException e) {
                Log.warnf("Registration not queued at start (POST /admin/registration runs it): %s", e.toString());
            }
        }, "registration-at-start");
        later.setDaemon(true);
        later.start();
    }
}
