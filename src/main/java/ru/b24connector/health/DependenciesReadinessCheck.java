package ru.b24connector.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyState;

import java.util.stream.Collectors;

/**
 * Names what is down and how many jobs wait for it, from what the service's own calls and probes saw (no call per
 * probe). UP even then: jobs wait for the portal, 1C or SMTP without losing anything and intake keeps storing. DOWN
 * while the database is known down (a failed statement or ping said so), at once: the datasource's own check
 * would need its connect timeout to say the same when the server hangs.
 */
@Readiness
@ApplicationScoped
public class DependenciesReadinessCheck implements HealthCheck {

    @Inject
    DependencyState state;

    @Inject
    ru.b24connector.outage.DatabaseProbe databaseProbe;

    @Override
    public HealthCheckResponse call() {
        // known down: DOWN at once, unless a ping (bounded by the JDBC timeouts) finds it back right now
        boolean databaseDown = state.isDown(Dependency.DATABASE) && !databaseProbe.runOnce();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("dependencies").up();
        response.withData("down", state.down().stream().map(Dependency::label).collect(Collectors.joining(", ")));
        for (Dependency d : Dependency.values()) {
            DependencyState.Outage outage = state.outage(d);
            response.withData(d.label(), outage == null ? "up"
                    : "down since " + outage.since() + ": " + outage.reason());
            if (d != Dependency.DATABASE) {
                response.withData(d.label() + ".waitingJobs", state.waiting(d));
            }
        }
        if (databaseDown) {
            response.down();
        }
        return response.build();
    }
}
