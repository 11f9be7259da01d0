package ru.b24connector.robots;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class RobotResourceTests {

    private static final String EVENT_SEND = PortalWireMock.WEBHOOK_PATH + "bizproc.event.send";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @Inject
    Inbox inbox;

    @BeforeEach
    void portalAnswers() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
    }

    @Test
    void aRobotCallRunsAsAJobAndReturnsItsValuesToThePortal() {
        String token = "wf1|A1_2_3|token-ok";
        given().contentType(ContentType.URLENC)
                .body(PortalForms.robot("echo_test", 123, token).property("text", "привет").asForm())
                .post("/b24/robots/echo_test")
                .then().statusCode(200).body("status", equalTo("stored"));

        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(EVENT_SEND)).withRequestBody(equalToJson(
                "{\"EVENT_TOKEN\":\"" + token + "\",\"RETURN_VALUES\":{\"echo\":\"привет on deal 123\"},"
                        + "\"LOG_MESSAGE\":\"echoed\"}")));
    }

    @Test
    void aRepeatedRobotCallRunsOnce() {
        String body = PortalForms.robot("echo_test", 124, "wf1|A1_2_3|token-repeat").property("text", "x").asForm();
        given().contentType(ContentType.URLENC).body(body).post("/b24/robots/echo_test").then().statusCode(200);
        given().contentType(ContentType.URLENC).body(body).post("/b24/robots/echo_test")
                .then().statusCode(200).body("status", equalTo("duplicate"));

        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(EVENT_SEND))
                .withRequestBody(matchingJsonPath("$.EVENT_TOKEN", containing("token-repeat"))));
    }

    @Test
    void aBadUserPropertyIsReportedToTheRobotLog() {
        given().contentType(ContentType.URLENC)
                .body(PortalForms.robot("echo_test", 125, "wf1|A1_2_3|token-bad").property("text", "x")
                        .property("who", "group_5").asForm())
                .post("/b24/robots/echo_test").then().statusCode(200);

        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(EVENT_SEND)).withRequestBody(equalToJson(
                "{\"EVENT_TOKEN\":\"wf1|A1_2_3|token-bad\",\"RETURN_VALUES\":{},"
                        + "\"LOG_MESSAGE\":\"b24-connector: invalid input: who: must be a portal user (user_<id>), got 'group_5'\"}")));
    }

    @Test
    void aRobotThatKeepsFailingIsReportedToTheRobotLogWhenDeadLettered() throws InterruptedException {
        given().contentType(ContentType.URLENC)
                .body(PortalForms.robot("echo_test", 126, "wf1|A1_2_3|token-fail").property("text", "fail").asForm())
                .post("/b24/robots/echo_test").then().statusCode(200);

        for (int i = 0; i < 10; i++) {
            worker.runDue();
            Thread.sleep(10); // past the test-sized backoff
        }

        portal.verify(1, postRequestedFor(urlPathEqualTo(EVENT_SEND))
                .withRequestBody(matchingJsonPath("$.EVENT_TOKEN", containing("token-fail")))
                .withRequestBody(matchingJsonPath("$.LOG_MESSAGE",
                        containing("failed after 3 attempt(s): downstream is down"))));
    }

    @Test
    void anUnknownRobotCodeIs404WithAJsonBody() {
        given().contentType(ContentType.URLENC).body(PortalForms.robot("nope", 1, "t").asForm())
                .post("/b24/robots/nope")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no robot with code 'nope'"));
    }

    @Test
    void aForgedRobotCallIsRefusedAndNotStored() {
        long before = inbox.count(RobotService.SOURCE);

        given().contentType(ContentType.URLENC)
                .body(PortalForms.robot("echo_test", 127, "t-forged").auth("wrong").property("text", "x").asForm())
                .post("/b24/robots/echo_test").then().statusCode(401);
        worker.runDue();

        assertThat(inbox.count(RobotService.SOURCE)).isEqualTo(before);
        portal.verify(0, postRequestedFor(urlPathEqualTo(EVENT_SEND)));
    }
}
