package ru.b24connector.process;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.portal.PortalLimits;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static ru.b24connector.process.ProcessEngineTests.A_STAGES;
import static ru.b24connector.process.ProcessEngineTests.DEAL_IDS;
import static ru.b24connector.process.ProcessEngineTests.HOOK;
import static ru.b24connector.process.ProcessEngineTests.NOW;

/** The admin API: validating a candidate process file and a dry run that changes nothing. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ProcessAdminResourceTests {

    static final String TOKEN = "Bearer test-admin-token";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    ProcessDefinitions definitions;

    @Inject
    DealStateRepository states;

    private ProcessDefinition original;

    @BeforeEach
    void stubPortalAndFixTime() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        PortalLimits.reset();
        ProcessEngineTests.stubPortal(portal);
        ProcessEngineTests.clockAt(NOW);
        original = definitions.current();
    }

    @AfterEach
    void restore() {
        definitions.use(original);
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
    }

    @Test
    void refusesCallsWithoutTheAdminToken() {
        given().body("pipelines: []").post("/admin/process/validate")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong").body("pipelines: []").post("/admin/process/validate")
                .then().statusCode(401);
    }

    @Test
    void validatesAShippedExample() throws Exception {
        String yaml = Files.readString(Path.of("src/main/resources/processes/examples/contract-approval.yaml"));

        given().header("Authorization", TOKEN).contentType("application/yaml").body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/admin/process/validate")
                .then().statusCode(200)
                .body("name", equalTo("contract-approval"))
                .body("pipelines.'5'", hasItems("C5:APPROVAL", "C5:WON"));
    }

    @Test
    void namesTheLineAndProblemOfABrokenFile() {
        String yaml = """
                name: broken
                pipelines:
                  - category: 2
                    stages:
                      NEW:
                        moves:
                          - to: CLOSED
                            after: 5 days
                      CLOSED: {}
                """;

        given().header("Authorization", TOKEN).contentType("application/yaml").body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/admin/process/validate")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("process file candidate, line 8: '5 days' is not a duration: use e.g. 30m,"
                        + " 8h, 2d, 1w, or 16h working, 3d working"))
                .body("errors.field", contains("line 8"))
                .body("errors.rule", contains("process-file"));
    }

    @Test
    void dryRunTellsWhatWouldHappenAndWritesNothing() {
        definitions.use(ProcessFileLoaderTests.shipped("reclamation"));
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:REVIEW",
                Map.of("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-9"));

        given().header("Authorization", TOKEN).queryParam("deal", deal.id)
                .post("/admin/process/dry-run")
                .then().statusCode(200)
                .body("summary", equalTo("deal " + deal.id + " in stage C3:REVIEW: 1 task(s): [Принять решение по"
                        + " рекламации «Claim " + deal.id + "»]; 0 notification(s); moves: [to C3:DECISION when"
                        + " UF_CRM_B24C_DECISION in [approved, rejected, partial]]"))
                .body("result.plan.tasks[0].responsibleId", equalTo(7));

        given().header("Authorization", TOKEN).queryParam("deal", deal.id).queryParam("stage", "DECISION")
                .post("/admin/process/dry-run")
                .then().statusCode(200)
                .body("summary", equalTo("deal " + deal.id + " in stage C3:DECISION: required fields empty (Решение,"
                        + " Комментарий к решению); it would be moved back to C3:REVIEW, the manager notified and a"
                        + " timeline comment added"));

        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update")));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add")));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "crm.timeline.comment.add")));
        assertThat(QuarkusTransaction.requiringNew().call(() -> states.findById(deal.id))).isNull();
    }

    @Test
    void dryRunOfACandidateFile() throws Exception {
        String yaml = Files.readString(Path.of("src/main/resources/processes/examples/follow-ups.yaml"));
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 0, java.util.List.of("INVOICE"), "INVOICE",
                Map.of());

        given().header("Authorization", TOKEN).contentType("application/yaml").queryParam("deal", deal.id)
                .body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/admin/process/dry-run")
                .then().statusCode(200)
                .body("summary", equalTo("deal " + deal.id + " in stage INVOICE: 1 task(s): [Позвонить клиенту по"
                        + " оплате счёта (сделка «Claim " + deal.id + "»)]; 0 notification(s); moves: none"))
                .body("result.plan.tasks[0].deadline", equalTo("2026-03-04T07:00:00Z"));
        portal.verify(0, anyRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")));
    }
}
