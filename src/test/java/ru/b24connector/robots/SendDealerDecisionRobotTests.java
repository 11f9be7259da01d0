package ru.b24connector.robots;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
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

    @Test
    void sendsTheDecisionOnceAndReturnsSentAndTheMessageId() throws Exception {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
        portal.stubFor(portalCall("crm.timeline.comment.add").willReturn(ok("601")));
        portal.stubFor(portalCall("batch").withRequestBody(containing("crm.deal.get?id=410")).willReturn(ok("""
                {"result":{
                   "deal":{"ID":"410","TITLE":"Насос P-7 — шум","STAGE_ID":"C3:DECISION","CONTACT_ID":"90",
                     "ASSIGNED_BY_ID":"7","ORIGINATOR_ID":"dealer-cabinet","ORIGIN_ID":"RCL-000410","COMMENTS":""},
                   "rows":[{"ID":"1","OWNER_ID":"410","OWNER_TYPE":"D","PRODUCT_ID":0,"PRODUCT_NAME":"Насос P-7",
                     "PRICE":1.00,"QUANTITY":1,"MEASURE_NAME":"шт"}],
                   "manager":[{"ID":"7","NAME":"Анна","LAST_NAME":"Смирнова","EMAIL":"a.smirnova@example.ru"}]},
                 "result_error":[],"result_total":[],"result_next":[],"result_time":{}}""")));
        String token = "wf9|A9_1_1|decision-token";
        String body = PortalForms.robot("send_dealer_decision", 410, token).property("decision", "rejected")
                .property("comment", "Нарушены условия эксплуатации").property("email", "dealer410@example.ru").asForm();

        given().contentType(ContentType.URLENC).body(body).post("/b24/robots/send_dealer_decision").then().statusCode(200);
        given().contentType(ContentType.URLENC).body(body).post("/b24/robots/send_dealer_decision").then().statusCode(200);
        for (int i = 0; i < 6; i++) {
            worker.runDue();
            Thread.sleep(10); // the robot waits for the mail with the (test-sized) queue backoff
        }

        MimeMessage[] mails410 = Arrays.stream(GreenMailResource.server().getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals("dealer410@example.ru");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toArray(MimeMessage[]::new);
        assertThat(mails410).hasSize(1);
        assertThat(mails410[0].getSubject()).contains("RCL-000410");
        String messageId = mails.messageId("robot:send_dealer_decision:" + token);
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "bizproc.event.send"))
                .withRequestBody(equalToJson("{\"EVENT_TOKEN\":\"" + token + "\",\"RETURN_VALUES\":{\"sent\":\"Y\","
                        + "\"message_id\":\"" + messageId + "\"},\"LOG_MESSAGE\":\"Decision e-mail sent to dealer410@example.ru\"}")));
    }

    @Test
    void anUnknownDecisionIsReportedToTheRobotLogAndSendsNothing() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
        int before = GreenMailResource.server().getReceivedMessages().length;

        given().contentType(ContentType.URLENC).body(PortalForms.robot("send_dealer_decision", 411, "t-maybe")
                .property("decision", "maybe").asForm()).post("/b24/robots/send_dealer_decision").then().statusCode(200);
        worker.runDue();

        assertThat(GreenMailResource.server().getReceivedMessages()).hasSize(before);
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "bizproc.event.send"))
                .withRequestBody(containing("invalid input: decision: decision must be approved, rejected or partial")));
    }
}
