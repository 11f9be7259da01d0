package ru.b24connector.testsupport;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * WireMock standing in for 1C's published infobase ({@code /ut/odata/standard.odata/}), with a Cyrillic OData
 * user, so Basic credentials travel as UTF-8. Tests reach it through {@link #server()}.
 */
public class OneCWireMock implements QuarkusTestResourceLifecycleManager {

    public static final String ROOT = "/ut/odata/standard.odata/";
    public static final String USER = "Обмен";
    public static final String PASSWORD = "пароль-1c";

    private static WireMockServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
            server.start();
        }
        return Map.of("onec.odata-url", server.baseUrl() + ROOT, "onec.user", USER, "onec.password", PASSWORD);
    }

    public static WireMockServer server() {
        return server;
    }

    /** The path of an entity set as 1C's web server sees it: Cyrillic percent-encoded as UTF-8. */
    public static String path(String entitySet) {
        return ROOT + URLEncoder.encode(entitySet, StandardCharsets.UTF_8);
    }

    @Override
    public void stop() {
        // shared by every Quarkus start of this test run
    }
}
