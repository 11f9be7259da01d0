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
 * it out of the load balancer would only lose intake. The same holds for a manual block by Bitrix24 support
 * ({@code OVERLOAD_LIMIT}), which the data names.
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
        var block = portalHealth.block();
        if (block.isPresent()) {
            // still UP: intake keeps storing; the block is said here, in the console and in one ERROR line
            return response.withData("state", "blocked by Bitrix24 support (OVERLOAD_LIMIT)")
                    .withData("blockedSince", block.get().since().toString())
                    .withData("nextProbe", block.get().nextProbe().toString()).build();
        }
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
