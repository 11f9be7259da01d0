package ru.b24connector.mail;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.GreenMailResource;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.and;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ru.b24connector.testsupport.PortalStubs.error;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = GreenMailResource.class, scope = TestResourceScope.GLOBAL)
class DecisionMailTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;
    private static final String DEALER = "service@tehnosnab.ru";
    /** MAIL_TEMPLATES_DIR in %test. */
    private static final Path OVERRIDES = Path.of("target", "test-mail-templates");

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    DecisionMailService mails;

    @Inject
    JobWorker worker;

    @Inject
    ru.b24connector.jobs.JobQueue jobs;

    @Inject
    ru.b24connector.outage.DependencyProbes probes;

    @Inject
    CircuitBreakerMaintenance breakers;

    private Instant now = Instant.parse("2026-03-02T07:00:00Z");

    @BeforeEach
    void clean() throws Exception {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        GreenMailResource.server().purgeEmailFromAllMailboxes();
        at(now);
    }

    @AfterEach
    void realTime() {
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
        breakers.resetAll();
    }

    @Test
    void sendsTheRussianDecisionMailToTheDealContactOnceThroughRealSmtp() throws Exception {
        givenDeal(77, "");
        givenTimeline();
        String key = uniqueKey();

        DecisionMailService.DecisionMailRequest request = mails.requestDecisionMail(77, Decision.APPROVED,
                "Редуктор заменим по гарантии.", Optional.empty(), key);
        worker.runDue();

        List<MimeMessage> received = received(DEALER);
        assertThat(received).hasSize(1);
        MimeMessage mail = received.get(0);
        assertThat(mail.getSubject()).isEqualTo("Рекламация № RCL-000077: Рекламация удовлетворена");
        assertThat(mail.getMessageID()).isEqualTo(request.messageId()).isEqualTo(mails.messageId(key));
        assertThat(mail.getFrom()[0].toString()).isEqualTo("claims@b24-connector.test");
        String html = (String) mail.getContent();
        assertThat(html).contains("По вашей рекламации № <b>RCL-000077</b>", "«Редуктор GBX-24 — течь»",
                "<b>Рекламация удовлетворена</b>", "Комментарий: Редуктор заменим по гарантии.",
                "<td>Редуктор GBX-24</td><td align=\"right\">2 шт</td>", "<td>Сальник &lt;SK-12&gt;</td>",
                "Ваш менеджер: Анна Смирнова", "mailto:a.smirnova@example.ru", "тел. +7 495 123-45-67");

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "batch")).withRequestBody(and(
                containing("\"deal\":\"crm.deal.get?id=77\""), containing("crm.deal.productrows.get?id=77"),
                containing("user.get?ID=$result[deal][ASSIGNED_BY_ID]"),
                containing("crm.deal.contact.items.get?id=77"),
                containing("crm.contact.get?id=$result[contacts][0][CONTACT_ID]"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.timeline.comment.add")).withRequestBody(and(
                matchingJsonPath("$.fields.ENTITY_ID", equalTo("77")),
                matchingJsonPath("$.fields.ENTITY_TYPE", equalTo("deal")),
                matchingJsonPath("$.fields.COMMENT", containing(DEALER)),
                matchingJsonPath("$.fields.COMMENT", containing(request.messageId())))));
        assertThat(mails.find(key)).get().satisfies(s -> {
            assertThat(s.status()).isEqualTo("DONE");
            assertThat(s.recipient()).isEqualTo(DEALER);
            assertThat(s.attempts()).isEqualTo(1);
        });

        // the same request again (a redelivered robot call, a re-entered stage) sends nothing more
        assertThat(mails.requestDecisionMail(77, Decision.APPROVED, "Редуктор заменим по гарантии.",
                Optional.empty(), key).duplicate()).isTrue();
        worker.runDue();
        assertThat(received(DEALER)).hasSize(1);
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.timeline.comment.add")));
    }

    @Test
    void rendersTheEnglishMailWhenTheDealAsksForEnglishAndSendsToTheGivenAddress() throws Exception {
        givenDeal(78, "en");
        givenTimeline();
        String key = uniqueKey();

        mails.requestDecisionMail(78, Decision.PARTIAL, "We replace the seal only.", Optional.of("dealer@example.com"),
                key);
        worker.runDue();

        List<MimeMessage> received = received("dealer@example.com");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getSubject()).isEqualTo("Claim No. RCL-000078: Claim partially approved");
        assertThat((String) received.get(0).getContent()).contains("Hello,",
                "A decision has been made on your claim No. <b>RCL-000078</b>", "<b>Claim partially approved</b>",
                "Comment: We replace the seal only.", "<td>Редуктор GBX-24</td><td align=\"right\">2 шт</td>",
                "Your manager: Анна Смирнова");
        // an address was given: the contact is not read
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "batch"))
                .withRequestBody(notContaining("crm.contact.get")));
    }

    @Test
    void whileSmtpIsDownTheMailWaitsAndIsSentOnceWhenItIsBack() throws Exception {
        givenDeal(79, "");
        givenTimeline();
        String key = uniqueKey();
        GreenMailResource.down();
        try {
            mails.requestDecisionMail(79, Decision.REJECTED, "Нарушены условия эксплуатации.", Optional.empty(), key);
            worker.runDue();

            assertThat(mails.find(key)).get().satisfies(s -> {
                assertThat(s.status()).isEqualTo("PENDING");
                assertThat(s.attempts()).isEqualTo(1);
                assertThat(s.lastError()).isNotBlank();
            });
            portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "crm.timeline.comment.add")));
        } finally {
            GreenMailResource.up();
        }

        // it waited for SMTP without spending a job attempt; the probe finds SMTP back and releases it at once
        assertThat(probes.runOnce()).containsEntry(ru.b24connector.outage.Dependency.SMTP, 1);
        GreenMailResource.untilDelivered(() -> {
            worker.runDue();
            probes.runOnce();
        }, () -> !received(DEALER).isEmpty());

        List<MimeMessage> received = received(DEALER);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getSubject()).isEqualTo("Рекламация № RCL-000079: В рекламации отказано");
        assertThat(mails.find(key)).get().satisfies(s -> assertThat(s.status()).isEqualTo("DONE"));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.timeline.comment.add")));
    }

    @Test
    void aRetryAfterTheTimelineFailedDoesNotSendTheMailAgain() throws Exception {
        givenDeal(80, "");
        portal.stubFor(portalCall("crm.timeline.comment.add").willReturn(error(500, "INTERNAL_SERVER_ERROR", "down")));
        String key = uniqueKey();

        mails.requestDecisionMail(80, Decision.APPROVED, "", Optional.empty(), key);
        worker.runDue();
        assertThat(mails.find(key)).get().satisfies(s -> assertThat(s.status()).isEqualTo("SENT"));

        givenTimeline();
        probes.runOnce(); // the 500 was the portal being down: the job waited for it, released when it answers
        worker.runDue();

        assertThat(received(DEALER)).hasSize(1);
        assertThat(mails.find(key)).get().satisfies(s -> assertThat(s.status()).isEqualTo("DONE"));
    }

    @Test
    void anAdministratorsTemplateReplacesTheShippedOne() throws Exception {
        givenDeal(81, "");
        givenTimeline();
        Files.createDirectories(OVERRIDES);
        Path subject = OVERRIDES.resolve("subject_ru.txt");
        Path body = OVERRIDES.resolve("decision_ru.html");
        Files.writeString(subject, "Решение по заявке {mail.claimNumber}");
        Files.writeString(body, "<p>{mail.decisionLabel}: {mail.comment}</p>");
        try {
            mails.requestDecisionMail(81, Decision.APPROVED, "<ok>", Optional.empty(), uniqueKey());
            worker.runDue();
        } finally {
            Files.delete(subject);
            Files.delete(body);
        }

        MimeMessage mail = received(DEALER).get(0);
        assertThat(mail.getSubject()).isEqualTo("Решение по заявке RCL-000081");
        assertThat(((String) mail.getContent()).trim()).isEqualTo("<p>Рекламация удовлетворена: &lt;ok&gt;</p>");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("limits.md, batch.md: the contact's read refused for its time budget"
            + " (OPERATION_TIME_LIMIT in result_error of a 200 answer) is a wait, not \"no contact e-mail\"")
    void aContactReadRefusedForItsTimeBudgetWaitsInsteadOfFailing() {
        portal.stubFor(portalCall("batch").willReturn(ok("""
                {"result":{"deal":{"ID":"84","TITLE":"Шум","ASSIGNED_BY_ID":"7","ORIGIN_ID":"RCL-000084","COMMENTS":""},
                   "rows":[],"manager":[],"contacts":[{"CONTACT_ID":88,"SORT":10,"ROLE_ID":0,"IS_PRIMARY":"Y"}]},
                 "result_error":{"contact":{"error":"OPERATION_TIME_LIMIT",
                   "error_description":"Method is blocked due to operation time limit"}},
                 "result_total":[],"result_next":[],"result_time":{}}""")));
        String key = uniqueKey();

        mails.requestDecisionMail(84, Decision.APPROVED, "", Optional.empty(), key);
        worker.runDue();

        assertThat(mails.find(key)).get().satisfies(s ->
                assertThat(s.status()).as("still to be sent, not dead-lettered").isEqualTo("PENDING"));
        assertThat(jobs.list(ru.b24connector.jobs.Job.Status.QUEUED, 1000))
                .as("its job waits for the method's reset, with no attempt spent")
                .anySatisfy(j -> {
                    assertThat(j.type).isEqualTo(DecisionMailService.JOB_TYPE);
                    assertThat(j.lastError).contains("crm.contact.get");
                    assertThat(j.attempts).isZero();
                });
        assertThat(GreenMailResource.server().getReceivedMessages()).isEmpty();
    }

    @Test
    void aDealWithoutContactEmailIsDeadLetteredWithoutSending() {
        portal.stubFor(portalCall("batch").willReturn(ok("""
                {"result":{"deal":{"ID":"82","TITLE":"Без контакта","CONTACT_ID":null,"ASSIGNED_BY_ID":"7",
                   "ORIGIN_ID":"RCL-000082","COMMENTS":""},"rows":[],"manager":[],"contacts":[]},
                 "result_error":{"contact":{"error":"","error_description":"ID is not defined or invalid"}},
                 "result_total":[],"result_next":[],"result_time":{}}""")));
        String key = uniqueKey();

        mails.requestDecisionMail(82, Decision.APPROVED, "", Optional.empty(), key);
        worker.runDue();

        assertThat(mails.find(key)).get().satisfies(s -> {
            assertThat(s.status()).isEqualTo("FAILED");
            assertThat(s.lastError()).contains("no contact e-mail");
        });
        assertThat(GreenMailResource.server().getReceivedMessages()).isEmpty();
    }

    @Test
    void badInputIsRefusedAndStoresNothing() {
        String key = uniqueKey();
        assertThatThrownBy(() -> Decision.parse("maybe")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("approved, rejected or partial");
        assertThatThrownBy(() -> mails.requestDecisionMail(83, Decision.APPROVED, "", Optional.of("not-an-address"),
                key)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email");
        assertThat(mails.find(key)).isEmpty();
    }

    // --- given

    /**
     * One batch answer: deal (§12.3 shape), product rows, manager (user.get), the deal's contacts (shape of
     * crm/deals/contacts/crm-deal-contact-items-get.md) and the contact.
     */
    private void givenDeal(long dealId, String language) {
        portal.stubFor(portalCall("batch").withRequestBody(containing("crm.deal.get?id=" + dealId)).willReturn(ok("""
                {"result":{
                   "deal":{"ID":"%1$d","TITLE":"Редуктор GBX-24 — течь","STAGE_ID":"C3:DECISION","CONTACT_ID":"88",
                     "ASSIGNED_BY_ID":"7","ORIGINATOR_ID":"dealer-cabinet","ORIGIN_ID":"RCL-0000%1$d",
                     "COMMENTS":"[b]Течь масла[/b] после 3 месяцев","UF_CRM_DEALER_LANGUAGE":"%2$s"},
                   "rows":[{"ID":"1","OWNER_ID":"%1$d","OWNER_TYPE":"D","PRODUCT_ID":0,"PRODUCT_NAME":"Редуктор GBX-24",
                     "PRICE":15000.00,"QUANTITY":2.00,"MEASURE_NAME":"шт"},
                     {"ID":"2","OWNER_ID":"%1$d","OWNER_TYPE":"D","PRODUCT_ID":0,"PRODUCT_NAME":"Сальник <SK-12>",
                     "PRICE":300.00,"QUANTITY":1,"MEASURE_NAME":"шт"}],
                   "manager":[{"ID":"7","NAME":"Анна","LAST_NAME":"Смирнова","EMAIL":"a.smirnova@example.ru",
                     "WORK_PHONE":"+7 495 123-45-67","UF_DEPARTMENT":[5]}],
                   "contacts":[{"CONTACT_ID":88,"SORT":10,"ROLE_ID":0,"IS_PRIMARY":"Y"}],
                   "contact":{"ID":"88","NAME":"Иван","LAST_NAME":"Петров",
                     "EMAIL":[{"ID":"12","VALUE_TYPE":"WORK","VALUE":"service@tehnosnab.ru","TYPE_ID":"EMAIL"}]}},
                 "result_error":[],"result_total":[],"result_next":[],"result_time":{}}"""
                .formatted(dealId, language))));
    }

    private void givenTimeline() {
        portal.stubFor(portalCall("crm.timeline.comment.add").willReturn(ok("501")));
    }

    private static List<MimeMessage> received(String recipient) {
        GreenMail server = GreenMailResource.server();
        return Arrays.stream(server.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                        .anyMatch(a -> a.toString().equals(recipient));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static void at(Instant instant) {
        QuarkusMock.installMockForType(Clock.fixed(instant, ZoneOffset.UTC), Clock.class);
    }

    private static String uniqueKey() {
        return "test:decision:" + UUID.randomUUID();
    }
}
