package ru.b24connector.process;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.events.PhpForm;
import ru.b24connector.events.PortalEventService;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.portal.PortalLimits;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.process.ProcessEngineTests.A_STAGES;
import static ru.b24connector.process.ProcessEngineTests.DEAL_IDS;

/**
 * Two changes of one deal in one second reach {@code /b24/events} with the same member, event, entity and
 * {@code ts} (issue #20). The second must be acted on: it folds into the first only while the first's listener
 * jobs have not started.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class SameSecondChangesTests {

    static final String HOOK = PortalWireMock.WEBHOOK_PATH;
    /** One dispatch second for both deliveries. */
    static final String TS = "1767250800";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    ProcessDefinitions definitions;

    @Inject
    DealStateRepository states;

    @Inject
    JobWorker worker;

    @Inject
    Inbox inbox;

    @Inject
    DecisionRequests decisions;

    @Inject
    MeterRegistry metrics;

    private ProcessDefinition original;

    @BeforeEach
    void portalAndProcess() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        PortalLimits.reset();
        ProcessEngineTests.stubPortal(portal);
        original = definitions.current();
        definitions.use(ProcessFileLoaderTests.shipped("reclamation"));
        decisions.clear();
    }

    @AfterEach
    void restore() {
        definitions.use(original);
    }

    @Test
    void aSecondChangeAfterTheFirstWasProcessedMovesTheDeal() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:REVIEW",
                Map.of("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-20"));
        post(deal.id, "stored");
        worker.runDue();
        assertThat(state(deal.id).stageId).isEqualTo("C3:REVIEW");

        // within the same second an automation rule fills the decision
        deal.set("UF_CRM_B24C_DECISION", "approved").set("UF_CRM_B24C_DECISION_COMMENT", "Замена");
        post(deal.id, "stored");
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.id", equalTo("" + deal.id)))
                .withRequestBody(matchingJsonPath("$.fields.STAGE_ID", equalTo("C3:DECISION"))));
        assertThat(state(deal.id).stageId).isEqualTo("C3:WON");
        assertThat(decisions.seen()).hasSize(1);
    }

    @Test
    void twoChangesBeforeAnyJobStartedFoldIntoOneJobThatSeesTheLatestState() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:REVIEW",
                Map.of("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-21"));
        double foldedBefore = folded();
        post(deal.id, "stored");
        deal.set("UF_CRM_B24C_DECISION", "approved").set("UF_CRM_B24C_DECISION_COMMENT", "Замена");
        post(deal.id, "duplicate");
        worker.runDue();

        String key = PortalEventService.dedupKey("ONCRMDEALUPDATE", PhpForm.parse(form(deal.id)));
        assertThat(inbox.findId(PortalEventService.SOURCE, key)).isPresent();
        assertThat(inbox.findId(PortalEventService.SOURCE, key + "#2")).as("no second row, no second job").isEmpty();
        assertThat(folded()).isEqualTo(foldedBefore + 1);
        // the one delivery's job read the deal after both changes
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.id", equalTo("" + deal.id)))
                .withRequestBody(matchingJsonPath("$.fields.STAGE_ID", equalTo("C3:DECISION"))));
        assertThat(state(deal.id).stageId).isEqualTo("C3:WON");
    }

    @Test
    void theSameEventDeliveredAgainAfterCompletionChangesNothingInThePortal() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEW",
                Map.of("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-22"));
        post(deal.id, "stored");
        worker.runDue();
        deal.set("UF_CRM_B24C_DECISION", "approved").set("UF_CRM_B24C_DECISION_COMMENT", "Замена");
        deal.movedByHand("C3:REVIEW");
        post(deal.id, "stored");
        worker.runDue();
        int tasks = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))).size();
        int updates = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))).size();
        int notices = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add"))).size();
        assertThat(state(deal.id).stageId).isEqualTo("C3:WON");

        post(deal.id, "stored"); // the portal delivers the last event once more
        worker.runDue();

        String key = PortalEventService.dedupKey("ONCRMDEALUPDATE", PhpForm.parse(form(deal.id)));
        assertThat(inbox.findId(PortalEventService.SOURCE, key + "#3")).as("processed as its own delivery").isPresent();
        assertThat(portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")))).hasSize(tasks);
        assertThat(portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update")))).hasSize(updates);
        assertThat(portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add")))).hasSize(notices);
        assertThat(decisions.seen()).as("one decision mail asked for").hasSize(1);
        assertThat(state(deal.id).stageId).isEqualTo("C3:WON");
    }

    private void post(long dealId, String expected) {
        given().contentType(ContentType.URLENC).body(form(dealId)).post("/b24/events")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo(expected));
    }

    private static String form(long dealId) {
        return PortalForms.event("ONCRMDEALUPDATE", dealId).put("ts", TS).asForm();
    }

    private double folded() {
        var counter = metrics.find("connector.inbox.folded").tag("source", PortalEventService.SOURCE).counter();
        return counter == null ? 0 : counter.count();
    }

    private DealState state(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> states.findById(dealId));
    }
}
