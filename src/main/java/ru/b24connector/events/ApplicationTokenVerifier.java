package ru.b24connector.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.portal.PortalInstallation;
import ru.b24connector.security.Tokens;

import java.util.Optional;

/**
 * Checks {@code auth[application_token]} of inbound events and robot calls: against B24_APPLICATION_TOKEN, else
 * against the token stored at installation. With neither, nothing is accepted.
 */
@ApplicationScoped
public class ApplicationTokenVerifier {

    @Inject
    PortalConfig config;

    @Inject
    PortalInstallation installation;

    public boolean verify(PhpForm form) {
        String presented = form.get("auth", "application_token").orElse(null);
        return expected().map(expected -> Tokens.matches(presented, expected)).orElse(false);
    }

    /** Whether {@link #verify} needs no database read (B24_APPLICATION_TOKEN is set), so it may run on the event loop. */
    public boolean verifiesWithoutLookup() {
        return config.applicationToken().isPresent();
    }

    /** Whether any token is known yet (an install may then set the first one). */
    public boolean known() {
        return expected().isPresent();
    }

    private Optional<String> expected() {
        return installation.expectedApplicationToken();
    }
}
