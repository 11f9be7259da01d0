package ru.b24connector.ui;

import ru.b24connector.testsupport.OAuthModeProfile;

import java.util.Map;

/** The card benchmark: OAuth mode with the service's own log level (INFO), as in production. */
public class CardBenchProfile extends OAuthModeProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.log.category.\"ru.b24connector\".level", "INFO");
    }
}
