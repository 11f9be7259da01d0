package ru.b24connector.testsupport;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * WireMock standing in for the Bitrix24 portal (and its OAuth server) on a dynamic port. The service is pointed at
 * it through B24_WEBHOOK_URL; tests get the server through {@link InjectPortalMock}.
 */
public class PortalWireMock implements QuarkusTestResourceLifecycleManager {

    /** The secret part of the test webhook URL; tests assert it never reaches a log. */
    public static final String WEBHOOK_SECRET = "s3cr3tw3bh00k";
    public static final String WEBHOOK_PATH = "/rest/1/" + WEBHOOK_SECRET + "/";

    private static WireMockServer server;
    private boolean oauth;

    /** {@code mode=oauth}: configure local-application mode (client id/secret) instead of a webhook. */
    @Override
    public void init(Map<String, String> initArgs) {
        oauth = "oauth".equals(initArgs.get("mode"));
    }

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                    .containerThreads(60).asynchronousResponseEnabled(false).extensions(new FakeCrm()));
            server.start();
        }
        if (oauth) {
            // no b24.oauth-url: refreshes go to the server_endpoint the installation names (installForm() below)
            return Map.of("b24.client-id", "local.test.1", "b24.client-secret", "client-secret-xyz",
                    "app.public-url", "https://connector.example.ru");
        }
        return Map.of("b24.webhook-url", server.baseUrl() + WEBHOOK_PATH,
                "b24.oauth-url", server.baseUrl() + "/oauth/token/");
    }

    /** The authorization server's REST address as the portal names it at install: this stand-in. */
    public static String serverEndpoint() {
        return server.baseUrl() + "/rest/";
    }

    public static WireMockServer server() {
        return server;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectPortalMock.class,
                WireMockServer.class));
    }

    @Override
    public void stop() {
        // shared by every Quarkus start of this test run
    }
}
