package ru.b24connector;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;
import ru.b24connector.admin.AdminConfig;
import ru.b24connector.onec.OneCConfig;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.reclamation.IntakeConfig;
import ru.b24connector.registration.AppConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One line when the service is ready: where it listens, how it reaches the portal, and which settings are missing,
 * so a newcomer's first screen says what to configure next.
 */
@ApplicationScoped
class StartupSummary {

    void onStart(@Observes @jakarta.annotation.Priority(Integer.MAX_VALUE) StartupEvent event, PortalConfig portal,
                 OneCConfig onec, IntakeConfig intake, AdminConfig admin, AppConfig app) {
        List<String> missing = new ArrayList<>();
        if (onec.odataUrl().isEmpty()) {
            missing.add("1C pull (ONEC_ODATA_URL)");
        }
        if (onec.apiToken().isEmpty()) {
            missing.add("1C push (ONEC_API_TOKEN)");
        }
        if (intake.apiTokens().map(List::isEmpty).orElse(true)) {
            missing.add("dealer intake (INTAKE_API_TOKENS)");
        }
        if (admin.apiToken().isEmpty()) {
            missing.add("admin API (ADMIN_API_TOKEN)");
        }
        if (app.publicUrl().isEmpty() && portal.clientId().isPresent()) {
            missing.add("handler registration (APP_PUBLIC_URL)");
        }
        var config = ConfigProvider.getConfig();
        String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
        int port = config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        Log.infof("Ready at http://%s:%d; portal: %s; mail via %s:%s; not configured: %s",
                "0.0.0.0".equals(host) ? "localhost" : host, port, mode(portal),
                config.getOptionalValue("quarkus.mailer.host", String.class).orElse("localhost"),
                config.getOptionalValue("quarkus.mailer.port", String.class).orElse("25"),
                missing.isEmpty() ? "nothing" : String.join(", ", missing));
    }

    private static String mode(PortalConfig portal) {
        if (portal.webhookUrl().isPresent()) {
            return "webhook mode";
        }
        if (portal.clientId().isPresent()) {
            return "OAuth mode (tokens from POST /b24/install)";
        }
        return "not configured (set B24_WEBHOOK_URL, or B24_CLIENT_ID and B24_CLIENT_SECRET)";
    }
}
