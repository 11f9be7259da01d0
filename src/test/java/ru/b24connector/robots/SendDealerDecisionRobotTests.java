package ru.b24connector.robots;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.testsupport.GreenMailResource;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Arrays;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = GreenMailResource.class, scope = TestResourceScope.GLOBAL)
class SendDealerDecisionRobotTests {

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @Inject
    DecisionMailService mails;

    @Inject
    ru.b24connector.outage.DependencyProbes probes;

    @BeforeEach
    void fresh() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
    }

    @Test
    void sendsTheDecisionOnceAndReturnsSentAndTheMessageId() throws Exception {
        givenDeal(410);
        String token = "wf9|A9_1_1|decision-token";
        String body = decisionRobot(410, token);

        given().contentType(ContentType.URLENC).body(body).post("/b24/robots/send_dealer_decision").then().statusCode(200);
        given().contentType(ContentType.URLENC).body(body).post("/b24/robots/send_dealer_decision").then().statusCode(200);
        worker.runDue();

        assertThat(mailsTo("dealer410@example.ru")).hasSize(1);
        assertThat(mailsTo("dealer410@example.ru")[0].getSubject()).contains("RCL-000410");
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "bizproc.event.send"))
                .withRequestBody(equalToJson(sentAnswer(token, "dealer410@example.ru"))));
    }

    /**
     * The robot waits for its mail, and SMTP being down is a wait, not the robot's failure: it must not spend the
     * robot's attempts (three in tests) and report a failure to the portal while the mail itself waits for SMTP.
     */
    @Test
    void whileSmtpIsDownTheRobotWaitsWithoutSpendingAttemptsAndAnswersOnceTheMailIsOut() throws Exception {
        givenDeal(412);
        String token = "wf9|A9_1_3|smtp-down-token";
        GreenMailResource.down();
        try {
            given().contentType(ContentType.URLENC).body(decisionRobot(412, token))
                    .post("/b24/robots/send_dealer_decision").then().statusCode(200);
            for (int i = 0; i < 5; i++) {
                worker.runDue();
                Thread.sleep(10);
            }
            portal.verify(0, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "bizproc.event.send")));
        } finally {
            GreenMailResource.up();
        }

        // SMTP answers again: the mail's job is due, and the robot answers once it is out
        GreenMailResource.untilDelivered(() -> {
            probes.runOnce();
            worker.runDue();
        }, () -> mailsTo("dealer412@example.ru").length > 0);

        assertThat(mailsTo("dealer412@example.ru")).hasSize(1);
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "bizproc.event.send"))
                .withRequestBody(equalToJson(sentAnswer(token, "dealer412@example.ru"))));
    }

    @Test
    void anUnknownDecisionIsReportedToTheRobotLogAndSendsNothing() {
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
        int before = GreenMailResource.server().getReceivedMessages().length;

        given().contentType(ContentType.URLENC).body(PortalForms.robot("send_dealer_decision", 411, "t-maybe")
                .property("decision", "maybe").asForm()).post("/b24/robots/send_dealer_decision").then().statusCode(200);
        worker.runDue();

        assertThat(GreenMailResource.server().getReceivedMessages()).hasSize(before);
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "bizproc.event.send"))
                .withRequestBody(containing("invalid input: decision: decision must be approved, rejected or partial")));
    }

    private void givenDeal(long id) {
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
        portal.stubFor(portalCall("crm.timeline.comment.add").willReturn(ok("601")));
        portal.stubFor(portalCall("batch").withRequestBody(containing("crm.deal.get?id=" + id)).willReturn(ok("""
                {"result":{
                   "deal":{"ID":"%1$d","TITLE":"Насос P-7 — шум","STAGE_ID":"C3:DECISION","CONTACT_ID":"90",
                     "ASSIGNED_BY_ID":"7","ORIGINATOR_ID":"dealer-cabinet","ORIGIN_ID":"RCL-000%1$d","COMMENTS":""},
                   "rows":[{"ID":"1","OWNER_ID":"%1$d","OWNER_TYPE":"D","PRODUCT_ID":0,"PRODUCT_NAME":"Насос P-7",
                     "PRICE":1.00,"QUANTITY":1,"MEASURE_NAME":"шт"}],
                   "manager":[{"ID":"7","NAME":"Анна","LAST_NAME":"Смирнова","EMAIL":"a.smirnova@example.ru"}]},
                 "result_error":[],"result_total":[],"result_next":[],"result_time":{}}""".formatted(id))));
    }

    private static String decisionRobot(long dealId, String token) {
        return PortalForms.robot("send_dealer_decision", dealId, token).property("decision", "rejected")
                .property("comment", "Нарушены условия эксплуатации").property("email", "dealer" + dealId + "@example.ru")
                .asForm();
    }

    private String sentAnswer(String token, String recipient) {
        String messageId = mails.messageId("robot:send_dealer_decision:" + token);
        return "{\"EVENT_TOKEN\":\"" + token + "\",\"RETURN_VALUES\":{\"sent\":\"Y\",\"message_id\":\"" + messageId
                + "\"},\"LOG_MESSAGE\":\"Decision e-mail sent to " + recipient + "\"}";
    }

    private static MimeMessage[] mailsTo(String recipient) {
        return Arrays.stream(GreenMailResource.server().getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(recipient);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toArray(MimeMessage[]::new);
    }
}
