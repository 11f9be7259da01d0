package ru.b24connector.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** Local-application (OAuth) mode: no webhook URL, tokens come from an installation. One Quarkus restart. */
public class OAuthModeProfile implements QuarkusTestProfile {

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
