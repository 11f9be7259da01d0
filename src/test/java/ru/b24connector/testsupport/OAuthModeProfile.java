package ru.b24connector.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * Local-application (OAuth) mode: no webhook URL, tokens come from an installation. One Quarkus restart. Offline
 * events are asked for (B24_OFFLINE_EVENTS_ENABLED=true) on a portal whose plan, unless a test stores otherwise, has
 * neither rest_offline_extended nor rest_auth_connector: the service must bind online and send no auth_connector.
 */
public class OAuthModeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("b24.offline-events.enabled", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(MariaDbResource.class),
                new TestResourceEntry(PortalWireMock.class, Map.of("mode", "oauth")));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
