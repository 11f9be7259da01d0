package ru.b24connector.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalHealth;

/**
 * Reports the portal's state as the last real call saw it (no portal call per probe). It stays UP while the
 * portal is down: the service keeps accepting and storing work and applies it when the portal is back, so taking
 * it out of the load balancer would only lose intake.
 */
@Readiness
@ApplicationScoped
public class PortalReadinessCheck implements HealthCheck {

    @Inject
    PortalHealth portalHealth;

    @Inject
    PortalClient portal;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("portal").up();
        PortalHealth.State state = portalHealth.state();
        response.withData("configured", portal.configured());
        if (state == null) {
            return response.withData("state", "no call yet").build();
        }
        response.withData("state", state.reachable() ? "reachable" : "unreachable")
                .withData("since", state.at().toString());
        if (state.lastError() != null) {
            response.withData("lastError", state.lastError());
        }
        return response.build();
    }
}
