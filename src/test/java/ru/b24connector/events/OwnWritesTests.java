package ru.b24connector.events;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * The ONCRMDEALUPDATE that the service's own stage move triggers (online always; offline without auth_connector,
 * a Professional-plan feature) is its echo: stored, but not processed as work. A later change of the same deal is.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class OwnWritesTests {

    private static final String DEAL_GET = PortalWireMock.WEBHOOK_PATH + "crm.deal.get";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    OwnWrites ownWrites;

    @Inject
    JobWorker worker;

    @BeforeEach
    void portal() {
        portal.resetAll();
        CleanSlate.reset();
        // a deal outside the process's pipelines: reading it is all the process does
        portal.stubFor(portalCall("crm.deal.get").willReturn(ok("{\"ID\":\"1\",\"CATEGORY_ID\":\"99\",\"STAGE_ID\":\"C99:NEW\"}")));
    }

    @Test
    void theEchoOfTheServicesOwnMoveIsNotProcessed() {
        long deal = 950_000 + ThreadLocalRandom.current().nextInt(40_000);
        long now = Instant.now().getEpochSecond();
        ownWrites.recorded(deal, Instant.ofEpochSecond(now));

        post(PortalForms.event("ONCRMDEALUPDATE", deal).put("ts", String.valueOf(now)).asForm());
        worker.runDue();

        portal.verify(0, postRequestedFor(urlPathEqualTo(DEAL_GET)));
    }

    @Test
    void aChangeAfterTheServicesOwnMoveIsProcessed() {
        long deal = 990_000 + ThreadLocalRandom.current().nextInt(9_000);
        long now = Instant.now().getEpochSecond();
        ownWrites.recorded(deal, Instant.ofEpochSecond(now));

        // a person's change ten seconds after ours
        post(PortalForms.event("ONCRMDEALUPDATE", deal).put("ts", String.valueOf(now + 10)).asForm());
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(DEAL_GET)));
    }

    private static void post(String form) {
        given().contentType(ContentType.URLENC).body(form).post("/b24/events").then().statusCode(200);
    }
}
