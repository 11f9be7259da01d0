package ru.b24connector.registration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.portal.PortalInstallation;

import java.time.Clock;
import java.util.Map;

/** After an installation ({@link PortalInstallation}) schedules registration of handlers and robots. */
@ApplicationScoped
public class InstallService {

    /** Job that reconciles event bindings and robots with the portal. */
    public static final String REGISTRATION_JOB = "b24.registration";

    @Inject
    JobQueue jobs;

    @Inject
    Clock clock;

    void onInstalled(@Observes PortalInstallation.Installed installed) {
        jobs.enqueue(REGISTRATION_JOB, "install:" + installed.memberId() + ":" + clock.millis(), Map.of());
    }
}
