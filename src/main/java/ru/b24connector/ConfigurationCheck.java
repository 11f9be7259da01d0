package ru.b24connector;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import ru.b24connector.portal.PortalConfig;

/** Rules between settings that single-value validation cannot express; a violation stops startup. */
@ApplicationScoped
class ConfigurationCheck {

    void onStart(@Observes StartupEvent event, PortalConfig portal) {
        if (portal.clientId().isPresent() != portal.clientSecret().isPresent()) {
            throw new ConfigurationProblem("B24_CLIENT_ID and B24_CLIENT_SECRET must be set together");
        }
        if (portal.clientId().isPresent() && portal.webhookUrl().isPresent()) {
            throw new ConfigurationProblem(
                    "set either B24_WEBHOOK_URL (webhook mode) or B24_CLIENT_ID/B24_CLIENT_SECRET (OAuth mode), not both");
        }
    }
}
