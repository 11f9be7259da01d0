package ru.b24connector.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.portal.PortalLimits;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TrackedTask;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.process.ProcessEngineTests.DEAL_IDS;
import static ru.b24connector.process.ProcessEngineTests.HOOK;
import static ru.b24connector.process.ProcessEngineTests.NOW;
import static ru.b24connector.process.ProcessEngineTests.clockAt;
import static ru.b24connector.process.ProcessEngineTests.event;

/** Walks through the main paths of the example processes B (contract approval), C (complaints), D (follow-ups). */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ProcessExamplesTests {

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

    private ProcessDefinition original;

    @BeforeEach
    void given() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        PortalLimits.reset(); // the walks make many calls; a bucket left by earlier tests would slow them down
        ProcessEngineTests.stubPortal(portal);
        clockAt(NOW);
        original = definitions.current();
    }

    @AfterEach
    void restore() {
        definitions.use(original);
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
    }

    @Test
    void reclamationFromClaimToDecision() {
        ProcessDefinition a = ProcessFileLoaderTests.shipped("reclamation");
        definitions.use(a);
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 3, stages(a, 3), "C3:NEW",
                Map.of("UF_CRM_B24C_DEALER_CLAIM_ID", "TS-2026-0042"));
        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();

        completeOpenTasks(deal.id); // claim checked
        worker.runDue();
        deal.set("UF_CRM_B24C_DECISION", "rejected").set("UF_CRM_B24C_DECISION_COMMENT", "Нарушены условия эксплуатации");
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();

        assertThat(movesOf(deal.id)).containsExactly("C3:REVIEW", "C3:DECISION", "C3:LOSE");
        portal.verify(2, taskAdd(deal.id));
        portal.verify(1, taskAdd(deal.id).withRequestBody(matchingJsonPath("$.fields.TITLE",
                equalTo("Принять решение по рекламации «Claim " + deal.id + "»"))));
        // supervisor told of the new claim and of the decision
        portal.verify(2, postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add"))
                .withRequestBody(matchingJsonPath("$.USER_ID", equalTo("9")))
                .withRequestBody(matchingJsonPath("$.MESSAGE", containing("/crm/deal/details/" + deal.id + "/"))));
        assertThat(stage(deal.id)).isEqualTo("C3:LOSE");
    }

    @Test
    void contractApprovalApprovedThenSigned() {
        ProcessDefinition b = use("contract-approval");
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 5, stages(b, 5), "C5:NEW",
                Map.of("UF_CRM_CONTRACT_NO", "Д-17", "UF_CRM_CONTRACT_FILE", "[{\"id\":1}]"));
        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();

        deal.movedByHand("C5:APPROVAL");
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();
        portal.verify(1, taskAdd(deal.id).withRequestBody(matchingJsonPath("$.fields.TITLE",
                equalTo("Согласовать договор №Д-17"))).withRequestBody(matchingJsonPath("$.fields.RESPONSIBLE_ID",
                equalTo("9"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add"))
                .withRequestBody(matchingJsonPath("$.USER_ID", equalTo("9")))
                .withRequestBody(matchingJsonPath("$.MESSAGE", equalTo("[USER=7][/USER] отправил на согласование"
                        + " договор №Д-17 ([URL=/crm/company/details/45/]компания[/URL]): [URL=/crm/deal/details/"
                        + deal.id + "/]Claim " + deal.id + "[/URL]."))));

        deal.set("UF_CRM_CONTRACT_APPROVAL", "approved");
        listener.on(event("ONCRMDEALUPDATE", deal.id));
        worker.runDue();
        completeOpenTasks(deal.id);
        worker.runDue();

        assertThat(movesOf(deal.id)).containsExactly("C5:APPROVED", "C5:WON");
        portal.verify(1, taskAdd(deal.id).withRequestBody(matchingJsonPath("$.fields.TITLE",
                equalTo("Подписать договор №Д-17 в бухгалтерии"))).withRequestBody(matchingJsonPath(
                "$.fields.RESPONSIBLE_ID", equalTo("7"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add"))
                .withRequestBody(matchingJsonPath("$.USER_ID", equalTo("7")))
                .withRequestBody(matchingJsonPath("$.MESSAGE", equalTo("Договор №Д-17 согласован. Подпишите его в"
                        + " бухгалтерии."))));
        assertThat(stage(deal.id)).isEqualTo("C5:WON");
    }

    static Stream<Arguments> culprits() {
        String[] start = {"C7:CONFLICT_DEPT", "C7:LETTER"};
        return Stream.of(
                Arguments.of("employee", Map.of(), List.of(start[0], start[1], "C7:EMPLOYEE_CASE", "C7:INTERIM_RESULTS",
                        "C7:COMPENSATION_FINE", "C7:RESOLVED", "C7:WON"), 11),
                Arguments.of("system_finance", Map.of("UF_CRM_COMPENSATION_SOURCE", "company"), List.of(start[0],
                        start[1], "C7:SYSTEM_FINANCE_CASE", "C7:INTERIM_RESULTS", "C7:COMPENSATION_BUDGET",
                        "C7:RESOLVED", "C7:WON"), 8),
                Arguments.of("system", Map.of("UF_CRM_COMPENSATION_SOURCE", "loyalty"), List.of(start[0], start[1],
                        "C7:SYSTEM_CASE", "C7:INTERIM_RESULTS", "C7:COMPENSATION_BUDGET", "C7:RESOLVED", "C7:WON"), 7),
                Arguments.of("finance", Map.of("UF_CRM_COMPENSATION_SOURCE", "loyalty"), List.of(start[0], start[1],
                        "C7:FINANCE_CASE", "C7:INTERIM_RESULTS", "C7:COMPENSATION_BUDGET", "C7:RESOLVED", "C7:WON"), 7),
                Arguments.of("supplier", Map.of("UF_CRM_SUPPLIER_PAYMENT", "approved"), List.of(start[0], start[1],
                        "C7:SUPPLIER_CASE", "C7:INTERIM_RESULTS", "C7:SUPPLIER_COMPENSATION",
                        "C7:SUPPLIER_PAYMENT_APPROVED", "C7:RESOLVED", "C7:WON"), 8),
                Arguments.of("supplier", Map.of("UF_CRM_SUPPLIER_PAYMENT", "not_approved"), List.of(start[0], start[1],
                        "C7:SUPPLIER_CASE", "C7:INTERIM_RESULTS", "C7:SUPPLIER_COMPENSATION",
                        "C7:SUPPLIER_PAYMENT_REJECTED", "C7:RESOLVED", "C7:WON"), 8));
    }

    @ParameterizedTest
    @MethodSource("culprits")
    void complaintResolutionFollowsTheCulpritBranch(String culprit, Map<String, String> extra, List<String> path,
                                                     int taskCount) {
        ProcessDefinition c = use("complaint-resolution");
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("UF_CRM_CONTRACT_NO", "Д-9",
                "UF_CRM_COMPLAINT", "Нарушен срок", "UF_CRM_SUPERVISOR_NOTE", "Проверено", "UF_CRM_INCOMING_NO",
                "ВХ-100", "UF_CRM_OUTGOING_NO", "ИСХ-200", "UF_CRM_CULPRIT", culprit,
                "UF_CRM_COMPENSATION_AMOUNT", "5000"));
        fields.putAll(extra);
        FakeDeal deal = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 7, stages(c, 7), "C7:NEW", fields);
        listener.on(event("ONCRMDEALADD", deal.id));
        worker.runDue();

        for (int step = 0; step < 12 && !"C7:WON".equals(stage(deal.id)); step++) {
            completeOpenTasks(deal.id);
            worker.runDue();
        }

        assertThat(movesOf(deal.id)).containsExactlyElementsOf(path);
        portal.verify(taskCount, taskAdd(deal.id));
        portal.verify(1, taskAdd(deal.id).withRequestBody(matchingJsonPath("$.fields.TITLE",
                equalTo("Написать клиенту письмо со ссылкой на входящий номер ВХ-100 (исходящий ИСХ-200)"))));
        portal.verify(1, taskAdd(deal.id).withRequestBody(matchingJsonPath("$.fields.TITLE",
                equalTo("Жалоба компании по договору №Д-9 урегулирована: смените её статус"))));
        // a fixed user: the conflict-resolution department
        portal.verify(1, taskAdd(deal.id).withRequestBody(matchingJsonPath("$.fields.TITLE",
                equalTo("Присвоить входящий и исходящий номера жалобе «Claim " + deal.id + "» и определить виновника")))
                .withRequestBody(matchingJsonPath("$.fields.RESPONSIBLE_ID", equalTo("20"))));
        if (path.contains("C7:COMPENSATION_BUDGET")) {
            // the directory picks the approver by the compensation source
            String approver = "loyalty".equals(extra.get("UF_CRM_COMPENSATION_SOURCE")) ? "31" : "32";
            portal.verify(1, taskAdd(deal.id).withRequestBody(matchingJsonPath("$.fields.TITLE",
                    equalTo("Согласовать компенсацию 5000 из бюджета (" + extra.get("UF_CRM_COMPENSATION_SOURCE")
                            + ") по жалобе ВХ-100"))).withRequestBody(matchingJsonPath("$.fields.RESPONSIBLE_ID",
                    equalTo(approver))));
        }
    }

    @Test
    void followUpsAfterAnOfferAnInvoiceAndADelivery() {
        ProcessDefinition d = use("follow-ups");
        List<String> stages = stages(d, 0);
        FakeDeal offer = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 0, stages, "PROPOSAL", Map.of());
        FakeDeal invoice = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 0, stages, "INVOICE", Map.of());
        FakeDeal delivered = FakeDeal.in(portal, DEAL_IDS.incrementAndGet(), 0, stages, "WON", Map.of());
        for (FakeDeal deal : List.of(offer, invoice, delivered)) {
            listener.on(event("ONCRMDEALUPDATE", deal.id));
        }
        worker.runDue();

        // invoice: a call about payment in 2 days
        portal.verify(1, taskAdd(invoice.id).withRequestBody(matchingJsonPath("$.fields.DEADLINE",
                equalTo("2026-03-04T10:00:00+03:00"))));
        portal.verify(0, taskAdd(offer.id));
        portal.verify(0, taskAdd(delivered.id));

        // a week without an answer to the offer
        clockAt(NOW.plus(Duration.ofDays(7)));
        process.scan();
        worker.runDue();
        assertThat(movesOf(offer.id)).containsExactly("NO_ANSWER");
        portal.verify(1, taskAdd(offer.id).withRequestBody(matchingJsonPath("$.fields.TITLE",
                equalTo("Связаться с клиентом: нет ответа на коммерческое предложение по сделке «Claim " + offer.id
                        + "»"))));

        // 15 days after delivery
        clockAt(NOW.plus(Duration.ofDays(14)));
        worker.runDue();
        portal.verify(0, taskAdd(delivered.id));
        clockAt(NOW.plus(Duration.ofDays(15)));
        worker.runDue();
        portal.verify(1, taskAdd(delivered.id).withRequestBody(matchingJsonPath("$.fields.TITLE",
                equalTo("Собрать отзыв клиента о поставке по сделке «Claim " + delivered.id + "»"))));
    }

    private ProcessDefinition use(String example) {
        ProcessDefinition definition = ProcessFileLoaderTests.shipped(example);
        definitions.use(definition);
        return definition;
    }

    private static List<String> stages(ProcessDefinition definition, int category) {
        return List.copyOf(definition.pipelines().get(category).stages().keySet());
    }

    private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder taskAdd(long dealId) {
        return postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_" + dealId)));
    }

    /** Stages the service moved the deal to, in order. */
    private List<String> movesOf(long dealId) {
        List<String> moves = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        List<LoggedRequest> updates = new ArrayList<>(portal.findAll(postRequestedFor(urlPathEqualTo(HOOK
                + "crm.deal.update")).withRequestBody(matchingJsonPath("$.id", equalTo("" + dealId)))));
        updates.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        for (LoggedRequest r : updates) {
            try {
                moves.add(json.readTree(r.getBodyAsString()).path("fields").path("STAGE_ID").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return moves;
    }

    private void completeOpenTasks(long dealId) {
        for (TrackedTask task : tasks.openForDeal(dealId)) {
            tasks.apply(task.taskId, new ObjectMapper().createObjectNode().put("status", "5"));
        }
    }

    private String stage(long dealId) {
        DealState state = QuarkusTransaction.requiringNew().call(() -> states.findById(dealId));
        return state == null ? null : state.stageId;
    }
}
