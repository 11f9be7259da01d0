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
    private static OneCInfobase infobase;

    /** WireMock's side of {@link OneCInfobase}: every request it is stubbed for is answered by the infobase. */
    public static final class Infobase implements com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2 {
        static final String NAME = "onec-infobase";

        @Override
        public com.github.tomakehurst.wiremock.http.ResponseDefinition transform(
                com.github.tomakehurst.wiremock.stubbing.ServeEvent event) {
            var request = event.getRequest();
            String url = request.getUrl();
            int q = url.indexOf('?');
            String path = (q < 0 ? url : url.substring(0, q)).substring(ROOT.length());
            OneCInfobase.Answer answer = infobase.handle(request.getMethod().getName(), path, q < 0 ? null : url.substring(q + 1),
                    request.getBodyAsString());
            return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(answer.status()).withHeader("Content-Type", answer.contentType()).withBody(answer.body()).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(new Infobase()));
            server.start();
            infobase = new OneCInfobase(server.baseUrl() + ROOT);
        }
        return Map.of("onec.odata-url", server.baseUrl() + ROOT, "onec.user", USER, "onec.password", PASSWORD);
    }

    public static WireMockServer server() {
        return server;
    }

    /**
     * An empty infobase answering every request to the service root (below any stub a test adds for one answer: an
     * outage, a refusal), with the sets the service reads published.
     */
    /** The infobase as it stands (after {@link #infobase()}). */
    public static OneCInfobase db() {
        return infobase;
    }

    public static OneCInfobase infobase() {
        infobase.clear();
        for (String set : new String[]{"Catalog_Контрагенты", "Document_РекламацияДилера", "Catalog_Номенклатура"}) {
            infobase.publish(set);
        }
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(ROOT + ".*"))
                .atPriority(10).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(Infobase.NAME)));
        return infobase;
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
