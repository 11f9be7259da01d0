package ru.b24connector.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import ru.b24connector.events.PhpForm;
import ru.b24connector.events.PortalEvent;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.portal.PortalLimits;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TrackedTask;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.page;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/** The engine on process A: tasks on entry, duplicates and reordering, the required-field guard, moves. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ProcessEngineTests {

    static final String HOOK = PortalWireMock.WEBHOOK_PATH;
    /** Monday 2026-03-02, 10:00 in Moscow. */
    static final Instant NOW = Instant.parse("2026-03-02T07:00:00Z");
    static final List<String> A_STAGES = List.of("C3:NEW", "C3:NEEDS_INFO", "C3:REVIEW", "C3:DECISION", "C3:WON",
            "C3:LOSE");
    static final AtomicLong DEAL_IDS = new AtomicLong(5000);

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    ProcessService process;

    @Inject
    ProcessEventListener listener;

    @Inject
    ProcessDefinitions definitions;

    @Inject
    DealStateRepository states;

    @Inject
    JobWorker worker;

    @Inject
    TaskService tasks;

    @Inject
    DecisionRequests decisions;

    private ProcessDefinition original;

    @BeforeEach
    void given() {
        ru.b24connector.testsupport.CleanSlate.reset(); // leftovers of other tests
        portal.resetAll();
        PortalLimits.reset();
        stubPortal(portal);
        clockAt(NOW);
        original = definitions.current();
        definitions.use(ProcessFileLoaderTests.shipped("reclamation"));
        decisions.clear();
    }

    @AfterEach
    void restore() {
        definitions.use(original);
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
    }

    /** Answers of the portal the engine calls besides deals; task ids are unique per call. */
    static void stubPortal(WireMockServer portal) {
        portal.stubFor(portalCall("tasks.task.add").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"result\":{\"task\":{\"id\":\"{{randomInt lower=100000 upper=999999999}}\"}},"
                        + "\"time\":{\"start\":1,\"finish\":1,\"duration\":0,\"processing\":0,\"operating\":0}}")));
        portal.stubFor(portalCall("im.notify.system.add").willReturn(ok("1")));
        portal.stubFor(portalCall("crm.timeline.comment.add").willReturn(ok("1")));
        portal.stubFor(portalCall("batch").withRequestBody(containing("user.get")).willReturn(ok(
                "{\"result\":{\"user7\":[{\"ID\":\"7\",\"NAME\":\"Ivan\",\"UF_DEPARTMENT\":[5]}]},"
                        + "\"result_error\":[],\"result_total\":[],\"result_next\":[],\"result_time\":[]}")));
        portal.stubFor(portalCall("department.get")
                .willReturn(ok("[{\"ID\":\"5\",\"NAME\":\"Service\",\"UF_HEAD\":\"9\",\"PARENT\":\"1\"}]")));
        portal.stubFor(portalCall("crm.deal.list").willReturn(page("[]", 0, null)));
    }

    static void clockAt(Instant now) {
        QuarkusMock.installMockForType(Clock.fixed(now, ZoneOffset.UTC), Clock.class);
    }

    @Test
    void aNewDealGetsTheTasksAndNoticesOfItsStage() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEW",
                Map.of("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-2026-0042"));

        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.TITLE", equalTo("Проверить рекламацию «Claim " + deal.id + "»")))
                .withRequestBody(matchingJsonPath("$.fields.RESPONSIBLE_ID", equalTo("7")))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_" + deal.id)))
                // 4 working hours from 10:00
                .withRequestBody(matchingJsonPath("$.fields.DEADLINE", equalTo("2026-03-02T14:00:00+03:00"))));
        // the supervisor: head of the assignee's department
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add"))
                .withRequestBody(matchingJsonPath("$.USER_ID", equalTo("9")))
                .withRequestBody(matchingJsonPath("$.MESSAGE", containing("TS-2026-0042"))));
        DealState state = state(deal.id);
        assertThat(state.stageId).isEqualTo("C3:NEW");
        assertThat(state.transitions).isEqualTo(1);
        assertThat(tasks.findByKey(ProcessService.taskKey(deal.id, 1, "check-claim"))).get()
                .extracting(t -> t.status).isEqualTo(TrackedTask.Status.OPEN);
    }

    @Test
    void duplicateEventsCreateTheTasksOnce() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEW", Map.of());

        listener.on(event("ONCRMDEALADD", deal.id));
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        process.scan(); // nothing modified according to the portal; time moves not due
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_" + deal.id))));
        assertThat(state(deal.id).transitions).isEqualTo(1);
    }

    @Test
    void aLateReadOfAnOlderStateIsIgnored() throws Exception {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEW",
                Map.of("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-3"));
        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();
        deal.set("DATE_MODIFY", "2026-03-02T11:00:00+03:00").movedByHand("C3:REVIEW");
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();

        // the first event's read of the deal, delivered last (events are unordered)
        JsonNode stale = new ObjectMapper().readTree(deal.set("DATE_MODIFY", "2026-03-02T10:00:00+03:00")
                .json("C3:NEW"));
        process.observe(stale);
        worker.runDue();

        DealState state = state(deal.id);
        assertThat(state.stageId).isEqualTo("C3:REVIEW");
        assertThat(state.transitions).isEqualTo(2);
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.TITLE", containing("Проверить рекламацию")))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_" + deal.id))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.TITLE", containing("Принять решение")))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_" + deal.id))));
    }

    @Test
    void aDealEnteringAStageWithEmptyRequiredFieldsGoesBack() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEW", Map.of());
        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();

        deal.set("CONTACT_ID", "").movedByHand("C3:REVIEW"); // dealer claim id is empty too
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();
        listener.on(event("ONCRMDEALUPDATE", deal.id)); // the echo of our own move back
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.id", equalTo("" + deal.id)))
                .withRequestBody(matchingJsonPath("$.fields.STAGE_ID", equalTo("C3:NEW"))));
        String message = "не может перейти в стадию «Рассмотрение»: не заполнены поля: Контакт, Номер рекламации"
                + " дилера. Сделка возвращена в стадию Новая рекламация.";
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add"))
                .withRequestBody(matchingJsonPath("$.USER_ID", equalTo("7")))
                .withRequestBody(matchingJsonPath("$.MESSAGE", containing(message))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.timeline.comment.add"))
                .withRequestBody(matchingJsonPath("$.fields.ENTITY_ID", equalTo("" + deal.id)))
                .withRequestBody(matchingJsonPath("$.fields.ENTITY_TYPE", equalTo("deal")))
                .withRequestBody(matchingJsonPath("$.fields.COMMENT", containing(message))));
        // no decision task, and the return to NEW did not create its tasks again
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_" + deal.id))));
        assertThat(state(deal.id).stageId).isEqualTo("C3:NEW");

        // back in its first stay in NEW: once the fields are filled, completing that stay's task moves it on
        deal.set("CONTACT_ID", "88").set("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-4");
        complete(deal.id, 1, "check-claim");
        worker.runDue();
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.id", equalTo("" + deal.id)))
                .withRequestBody(matchingJsonPath("$.fields.STAGE_ID", equalTo("C3:REVIEW"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.TITLE", containing("Принять решение")))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_" + deal.id))));
        assertThat(state(deal.id).stageId).isEqualTo("C3:REVIEW");
    }

    @Test
    void completingTheStageTasksMovesTheDealOn() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEW",
                Map.of("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-1"));
        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();

        complete(deal.id, 1, "check-claim");
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.fields.STAGE_ID", equalTo("C3:REVIEW")))
                .withRequestBody(matchingJsonPath("$.id", equalTo("" + deal.id))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.TITLE", equalTo("Принять решение по рекламации «Claim "
                        + deal.id + "»")))
                // 2 working days (18 working hours) from Monday 10:00
                .withRequestBody(matchingJsonPath("$.fields.DEADLINE", equalTo("2026-03-04T10:00:00+03:00"))));
        assertThat(state(deal.id).stageId).isEqualTo("C3:REVIEW");
    }

    @Test
    void aConditionOnFieldsMovesTheDealAndAsksForTheDecisionMail() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:REVIEW",
                Map.of("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-2"));
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();

        deal.set("UF_CRM_B24C_DECISION", "approved").set("UF_CRM_B24C_DECISION_COMMENT", "Замена по гарантии");
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.fields.STAGE_ID", equalTo("C3:DECISION")))
                .withRequestBody(matchingJsonPath("$.id", equalTo("" + deal.id))));
        // in DECISION: the mail is asked for, then approved moves on to WON
        assertThat(decisions.seen()).containsExactly(new DealerDecisionRequested(deal.id, "C3:DECISION", "approved",
                "Замена по гарантии", "process:decision:" + deal.id + ":2"));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.fields.STAGE_ID", equalTo("C3:WON")))
                .withRequestBody(matchingJsonPath("$.id", equalTo("" + deal.id))));
        assertThat(state(deal.id).stageId).isEqualTo("C3:WON");
        assertThat(state(deal.id).transitions).isEqualTo(3);
    }

    @Test
    void fiveDaysInNeedsClarificationCloseTheDeal() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEEDS_INFO", Map.of());
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();

        clockAt(NOW.plus(Duration.ofDays(5)).minusSeconds(60));
        process.scan();
        worker.runDue();
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.id", equalTo("" + deal.id))));

        clockAt(NOW.plus(Duration.ofDays(5)));
        process.scan();
        process.scan(); // a second replica's scan: still one move
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.id", equalTo("" + deal.id)))
                .withRequestBody(matchingJsonPath("$.fields.STAGE_ID", equalTo("C3:LOSE"))));
        assertThat(state(deal.id).stageId).isEqualTo("C3:LOSE");
    }

    @Test
    void theScanCatchesADealWhoseEventNeverArrived() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEW", Map.of());
        portal.stubFor(portalCall("crm.deal.list").willReturn(page("[" + deal.json("C3:NEW") + "]", 1, null)));

        process.scan();
        worker.runDue();

        portal.verify(postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.list"))
                .withRequestBody(matchingJsonPath("$.filter['>DATE_MODIFY']"))
                .withRequestBody(matchingJsonPath("$.filter['@CATEGORY_ID'][0]", equalTo("3"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_" + deal.id))));
        assertThat(state(deal.id).stageId).isEqualTo("C3:NEW");
    }

    @Test
    void dealsOfOtherPipelinesAreIgnored() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 8, List.of("C8:NEW"), "C8:NEW", Map.of());

        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();

        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")));
        assertThat(QuarkusTransaction.requiringNew().call(() -> states.findById(deal.id))).isNull();
    }

    @Test
    void aTrackedDealMovedOutOfThePipelineEndsTheWorkOnItAsSkipped() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEW", Map.of());
        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();

        deal.set("CATEGORY_ID", "8"); // a manager moves it to another pipeline

        assertThatThrownBy(() -> listener.on(event("ONCRMDEALUPDATE", deal.id)))
                .isInstanceOf(ru.b24connector.jobs.JobSkipped.class).hasMessageContaining("moved out");
    }

    DealState state(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> states.findById(dealId));
    }

    /** The portal reports the task completed (status 5), as tasks.task.get would. */
    void complete(long dealId, int transition, String key) {
        long taskId = tasks.findByKey(ProcessService.taskKey(dealId, transition, key)).orElseThrow().taskId;
        tasks.apply(taskId, new ObjectMapper().createObjectNode().put("status", "5"));
    }

    static PortalEvent event(String code, long dealId) {
        return new PortalEvent(1, code, PhpForm.parse("event=" + code + "&data[FIELDS][ID]=" + dealId
                + "&ts=1767250800&auth[member_id]=m1"));
    }

}
