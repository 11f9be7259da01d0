package ru.b24connector.process;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.embedded.EmbeddedMariaDb;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbKiller;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static ru.b24connector.testsupport.PortalStubs.page;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * The database process killed: intake and {@code /b24/events} answer 503 with Retry-After and store nothing,
 * readiness goes DOWN, the service reconnects by itself when the database is back, and the deal change whose event
 * the portal could not deliver meanwhile is found by the catch-up sweep ({@code DATE_MODIFY}).
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class DatabaseOutageTests {

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    ProcessService process;

    @Inject
    ProcessDefinitions definitions;

    @Inject
    DealStateRepository states;

    @Inject
    JobWorker worker;

    private ProcessDefinition original;

    @BeforeEach
    void cleanSlate() {
        CleanSlate.reset();
        portal.resetAll();
        ProcessEngineTests.stubPortal(portal);
        original = definitions.current();
        definitions.use(ProcessFileLoaderTests.shipped("reclamation"));
    }

    @AfterEach
    void restore() {
        definitions.use(original);
    }

    @Test
    void whileTheDatabaseIsDownRequestsGet503AndTheSweepFindsTheMissedDealChangeOnceItIsBack() throws Exception {
        long dealId = ProcessEngineTests.DEAL_IDS.incrementAndGet();
        FakeDeal deal = FakeDeal.in(portal, dealId, 3, ProcessEngineTests.A_STAGES, "C3:NEW", Map.of());
        String url = MariaDbResource.jdbcUrl();
        int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/.*", "$1"));
        Path dataDir = Path.of("target", "test-db-" + ProcessHandle.current().pid(), "data");

        MariaDbKiller.kill(dataDir);
        try {
            given().contentType(ContentType.URLENC).body(PortalForms.event("ONCRMDEALUPDATE", dealId).asForm())
                    .post("/b24/events").then().statusCode(503).header("Retry-After", "10")
                    .contentType(containsString("problem+json"));
            given().header("Authorization", "Bearer dealer-a-token").contentType(ContentType.JSON)
                    .body("{\"dealer\":{\"companyName\":\"ООО «Техноснаб»\",\"inn\":\"7707083893\",\"contactName\":\"Иван\","
                            + "\"email\":\"db-down@tehnosnab.ru\",\"phone\":\"8 (912) 345-67-89\"},\"dealerClaimId\":\"DB-DOWN-1\",\"claimText\":\"Течь\","
                            + "\"items\":[{\"productName\":\"Редуктор\",\"quantity\":1}]}")
                    .post("/api/v1/reclamations").then().statusCode(503).header("Retry-After", notNullValue());
            given().get("/q/health/ready").then().statusCode(503).body(containsString("Database"));
            // a sweep while the database is away fails as a whole: its place (the DATE_MODIFY cursor) is not moved
            assertThatThrownBy(process::scan).isInstanceOf(RuntimeException.class);
        } finally {
            EmbeddedMariaDb.start(dataDir, port);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

        // the portal does not resend the event it could not deliver: the sweep finds the change by DATE_MODIFY
        portal.stubFor(portalCall("crm.deal.list").willReturn(page("[" + deal.json("C3:NEW") + "]", 1, null)));
        process.scan();
        worker.runDue();

        assertThat(QuarkusTransaction.requiringNew().call(() -> states.findById(dealId)).stageId).isEqualTo("C3:NEW");
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_" + dealId))));
        given().header("Authorization", "Bearer dealer-a-token").get("/api/v1/reclamations/999999999")
                .then().statusCode(404); // reconnected: requests reach the database again
    }
}
