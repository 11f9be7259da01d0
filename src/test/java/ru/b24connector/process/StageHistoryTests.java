package ru.b24connector.process;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.history.Mover;
import ru.b24connector.history.StageMove;
import ru.b24connector.history.StageMoves;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.portal.PortalLimits;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static ru.b24connector.process.ProcessEngineTests.A_STAGES;
import static ru.b24connector.process.ProcessEngineTests.DEAL_IDS;
import static ru.b24connector.process.ProcessEngineTests.HOOK;
import static ru.b24connector.process.ProcessEngineTests.NOW;
import static ru.b24connector.process.ProcessEngineTests.event;
import static ru.b24connector.testsupport.PortalStubs.json;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * Every stage move of a claim is recorded with who or what made it, as the service sees it happen: a person (the
 * deal's MOVED_BY_ID, docs api-reference/crm/deals/crm-deal-get.md), the service with its rule, a required-field
 * bounce or a time-in-stage close, 1C's status; and what the service did not see comes from the portal's stage
 * history (crm.stagehistory.list, docs api-reference/crm/crm-stage-history-list.md).
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class StageHistoryTests {

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    ProcessEventListener listener;

    @Inject
    ProcessDefinitions definitions;

    @Inject
    JobWorker worker;

    @Inject
    StageMoves moves;

    @Inject
    ProcessService process;

    @Inject
    ru.b24connector.tasks.TaskService tasks;

    private ProcessDefinition original;

    @BeforeEach
    void given() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        PortalLimits.reset();
        ProcessEngineTests.stubPortal(portal);
        ProcessEngineTests.clockAt(NOW);
        original = definitions.current();
        definitions.use(ProcessFileLoaderTests.shipped("reclamation"));
    }

    @AfterEach
    void restore() {
        definitions.use(original);
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
    }

    @Test
    void aPersonsMoveTheRequiredFieldBounceAndTheRulesMoveAreEachRecordedWithWhoAndWhy() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEW",
                Map.of("CREATED_BY_ID", "7", "MOVED_BY_ID", "7"));
        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();
        // a person (user 8) moves it on while the contact and the dealer claim id are empty
        deal.set("CONTACT_ID", "").set("MOVED_BY_ID", "8").movedByHand("C3:REVIEW");
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();
        listener.on(event("ONCRMDEALUPDATE", deal.id)); // the echo of the service's move back
        worker.runDue();
        // filled in; completing the stay's task makes the process move it to REVIEW (the webhook user moves it)
        deal.set("CONTACT_ID", "88").set("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-4").set("MOVED_BY_ID", "1");
        complete(deal.id, 1, "check-claim");
        worker.runDue();

        assertThat(moves.ofDeal(deal.id)).extracting(StageMove::fromStage, StageMove::toStage, StageMove::mover,
                StageMove::userId, StageMove::reason).containsExactly(
                tuple(null, "C3:NEW", Mover.USER, 7L, null),
                tuple("C3:NEW", "C3:REVIEW", Mover.USER, 8L, null),
                tuple("C3:REVIEW", "C3:NEW", Mover.SERVICE, null, "required:Контакт, Номер рекламации дилера"),
                tuple("C3:NEW", "C3:REVIEW", Mover.SERVICE, null, "rule:when all tasks of the stage are completed"));
        List<StageMove> all = moves.ofDeal(deal.id);
        assertThat(all.subList(0, 3)).allMatch(m -> m.leftAt() != null);
        assertThat(all.get(3).leftAt()).isNull();
    }

    @Test
    void aTimeInStageCloseIsTheServicesWithTheTimeAndA1CStatusIs1Cs() {
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, A_STAGES, "C3:NEEDS_INFO",
                Map.of("MOVED_BY_ID", "7", "UF_CRM_B24C_DEALER_CLAIM_ID", "TS-5"));
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();
        ProcessEngineTests.clockAt(NOW.plus(Duration.ofDays(5)));
        process.scan();
        worker.runDue();
        // 1C's status moves the deal back to REVIEW: the 1C exchange expects the move before it updates the deal
        moves.expect(deal.id, "C3:REVIEW", Mover.ONEC, "onec:На рассмотрении");
        deal.set("MOVED_BY_ID", "1").movedByHand("C3:REVIEW");
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();

        assertThat(moves.ofDeal(deal.id)).extracting(StageMove::toStage, StageMove::mover, StageMove::reason)
                .containsExactly(tuple("C3:NEEDS_INFO", Mover.USER, null),
                        tuple("C3:LOSE", Mover.SERVICE, "timeout:PT120H"),
                        tuple("C3:REVIEW", Mover.ONEC, "onec:На рассмотрении"));
    }

    @Test
    @DisplayName("A deal that lived before the service saw it gets the portal's stage history, paged as the docs show")
    void theStageHistoryFillsWhatTheServiceDidNotSee() {
        long id = DEAL_IDS.incrementAndGet();
        FakeDeal deal = FakeDeal.in(portal, id, 3, A_STAGES, "C3:REVIEW", Map.of("MOVED_BY_ID", "8",
                "MOVED_TIME", "2026-02-25T12:00:00+03:00", "DATE_CREATE", "2026-02-20T09:00:00+03:00"));
        // crm.stagehistory.list: result.items, total, next while more pages remain (start=0, then start=50)
        portal.stubFor(portalCall("crm.stagehistory.list").withRequestBody(matchingJsonPath("$.start", equalTo("0")))
                .willReturn(json(200, "{\"result\":{\"items\":[" + item(901, 1, id, "2026-02-20T09:00:00+03:00", "C3:NEW")
                        + "," + item(902, 2, id, "2026-02-22T15:30:00+03:00", "C3:NEEDS_INFO") + "]},\"total\":3,\"next\":50,"
                        + TIME + "}")));
        portal.stubFor(portalCall("crm.stagehistory.list").withRequestBody(matchingJsonPath("$.start", equalTo("50")))
                .willReturn(json(200, "{\"result\":{\"items\":[" + item(903, 2, id, "2026-02-25T12:00:00+03:00", "C3:REVIEW")
                        + "]},\"total\":3," + TIME + "}")));

        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();
        worker.runDue();

        portal.verify(postRequestedFor(urlPathEqualTo(HOOK + "crm.stagehistory.list"))
                .withRequestBody(matchingJsonPath("$.entityTypeId", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.filter.OWNER_ID", equalTo("" + id))));
        List<StageMove> history = moves.ofDeal(id);
        assertThat(history).extracting(StageMove::fromStage, StageMove::toStage, StageMove::mover, StageMove::source,
                StageMove::historyId).containsExactly(
                tuple(null, "C3:NEW", Mover.PORTAL, StageMove.HISTORY, 901L),
                tuple("C3:NEW", "C3:NEEDS_INFO", Mover.PORTAL, StageMove.HISTORY, 902L),
                // what the service saw itself, linked to the portal's entry: the person who moved it is kept
                tuple("C3:NEEDS_INFO", "C3:REVIEW", Mover.USER, StageMove.SEEN, 903L));
        assertThat(history.get(0).leftAt()).isEqualTo(Instant.parse("2026-02-22T12:30:00Z"));
        assertThat(history.get(1).leftAt()).isEqualTo(Instant.parse("2026-02-25T09:00:00Z"));

        // read again (a later outage): nothing is added twice
        moves.merge(id, List.of());
        assertThat(moves.ofDeal(id)).hasSize(3);
    }

    /** The portal reports the task completed (status 5), as tasks.task.get would. */
    private void complete(long dealId, int transition, String key) {
        long taskId = tasks.findByKey(ProcessService.taskKey(dealId, transition, key)).orElseThrow().taskId;
        tasks.apply(taskId, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("status", "5"));
    }

    private static final String TIME = "\"time\":{\"start\":1,\"finish\":1,\"duration\":0,\"processing\":0,\"operating\":0}";

    private static String item(long id, int type, long owner, String at, String stage) {
        return "{\"ID\":" + id + ",\"TYPE_ID\":" + type + ",\"OWNER_ID\":" + owner + ",\"CREATED_TIME\":\"" + at
                + "\",\"CATEGORY_ID\":3,\"STAGE_SEMANTIC_ID\":\"P\",\"STAGE_ID\":\"" + stage + "\"}";
    }
}
