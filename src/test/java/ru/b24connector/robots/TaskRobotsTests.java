package ru.b24connector.robots;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/** create_task, request_info and reassign, end to end against the portal stand-in. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class TaskRobotsTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @Inject
    RequestInfoRobot requestInfo;

    @BeforeEach
    void portalAnswers() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
    }

    @AfterEach
    void realClock() {
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
    }

    @Test
    void createTaskLinksTheTaskToTheDealAndReturnsItsId() {
        portal.stubFor(portalCall("tasks.task.add").willReturn(ok("{\"task\":{\"id\":\"9001\",\"title\":\"Проверить\"}}")));

        robotCall("create_task", 300, "t-create", PortalForms.robot("create_task", 300, "t-create")
                .property("title", "Проверить фото").property("responsible", "user_7").property("deadline_hours", "8"));

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.TITLE", containing("Проверить фото")))
                .withRequestBody(matchingJsonPath("$.fields.RESPONSIBLE_ID", equalToJsonValue("7")))
                .withRequestBody(matchingJsonPath("$.fields.UF_CRM_TASK[0]", containing("D_300")))
                .withRequestBody(matchingJsonPath("$.fields.DEADLINE", containing("+03:00"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send")).withRequestBody(equalToJson(
                "{\"EVENT_TOKEN\":\"t-create\",\"RETURN_VALUES\":{\"task_id\":9001},\"LOG_MESSAGE\":\"Task 9001 created\"}")));
    }

    @Test
    void requestInfoWaitsForTheAnswerStoresItOnTheDealAndReturnsIt() {
        portal.stubFor(portalCall("tasks.task.add").willReturn(ok("{\"task\":{\"id\":\"9002\"}}")));
        robotCall("request_info", 301, "t-ask", PortalForms.robot("request_info", 301, "t-ask")
                .property("question", "Нужна ли экспертиза на месте?").property("ask_user", "user_12"));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send")));

        portal.stubFor(portalCall("tasks.task.get").willReturn(ok(
                "{\"task\":{\"id\":\"9002\",\"status\":\"5\",\"responsibleId\":\"12\",\"deadline\":\"2026-12-01T18:00:00+03:00\"}}")));
        portal.stubFor(portalCall("task.commentitem.getlist").willReturn(ok(
                "[{\"ID\":\"77\",\"AUTHOR_ID\":\"12\",\"POST_MESSAGE\":\"Да, выезд нужен\"}]")));
        portal.stubFor(portalCall("batch").willReturn(ok(
                "{\"result\":{\"qa\":5501},\"result_error\":[],\"result_total\":[],\"result_next\":[],\"result_time\":[]}")));
        given().contentType(ContentType.URLENC).body(PortalForms.event("ONTASKUPDATE", 9002).asForm())
                .post("/b24/events").then().statusCode(200);
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "batch"))
                .withRequestBody(containing("crm.timeline.comment.add"))
                .withRequestBody(containing("ENTITY_ID]=301")));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send")).withRequestBody(equalToJson(
                "{\"EVENT_TOKEN\":\"t-ask\",\"RETURN_VALUES\":{\"answer\":\"Да, выезд нужен\"},"
                        + "\"LOG_MESSAGE\":\"Answered by user 12\"}")));
    }

    @Test
    void requestInfoSeesACompletionThatCameInTheSameSecondAsAnEarlierUpdate() {
        String ts = "1767254400";
        portal.stubFor(portalCall("tasks.task.add").willReturn(ok("{\"task\":{\"id\":\"9005\"}}")));
        robotCall("request_info", 304, "t-same-second", PortalForms.robot("request_info", 304, "t-same-second")
                .property("question", "Кто поставщик?").property("ask_user", "user_12"));
        // the colleague opens the task: an update, still in progress, processed at once
        portal.stubFor(portalCall("tasks.task.get").willReturn(ok(
                "{\"task\":{\"id\":\"9005\",\"status\":\"3\",\"responsibleId\":\"12\"}}")));
        given().contentType(ContentType.URLENC).body(PortalForms.event("ONTASKUPDATE", 9005).put("ts", ts).asForm())
                .post("/b24/events").then().statusCode(200);
        worker.runDue();
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send")));

        // within the same second they answer in a comment and complete it
        portal.stubFor(portalCall("tasks.task.get").willReturn(ok(
                "{\"task\":{\"id\":\"9005\",\"status\":\"5\",\"responsibleId\":\"12\"}}")));
        portal.stubFor(portalCall("task.commentitem.getlist").willReturn(ok(
                "[{\"ID\":\"78\",\"AUTHOR_ID\":\"12\",\"POST_MESSAGE\":\"ООО «Привод»\"}]")));
        portal.stubFor(portalCall("batch").willReturn(ok(
                "{\"result\":{\"qa\":5502},\"result_error\":[],\"result_total\":[],\"result_next\":[],\"result_time\":[]}")));
        given().contentType(ContentType.URLENC).body(PortalForms.event("ONTASKUPDATE", 9005).put("ts", ts).asForm())
                .post("/b24/events").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("stored"));
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send")).withRequestBody(equalToJson(
                "{\"EVENT_TOKEN\":\"t-same-second\",\"RETURN_VALUES\":{\"answer\":\"ООО «Привод»\"},"
                        + "\"LOG_MESSAGE\":\"Answered by user 12\"}")));
    }

    @Test
    void requestInfoTellsThePortalWhenItsTimeoutPasses() {
        portal.stubFor(portalCall("tasks.task.add").willReturn(ok("{\"task\":{\"id\":\"9003\"}}")));
        robotCall("request_info", 302, "t-timeout", PortalForms.robot("request_info", 302, "t-timeout")
                .property("question", "Кто поставщик?").property("ask_user", "user_13").put("timeout_duration", "3600"));

        QuarkusMock.installMockForType(Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC), Clock.class);
        requestInfo.expireOverdue();
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send")).withRequestBody(equalToJson(
                "{\"EVENT_TOKEN\":\"t-timeout\",\"RETURN_VALUES\":{\"answer\":\"\"},"
                        + "\"LOG_MESSAGE\":\"No answer from user 13 before the robot's timeout\"}")));
    }

    @Test
    void reassignMovesTheDealAndItsOpenTasksAndNotifiesBothManagers() {
        portal.stubFor(portalCall("tasks.task.add").willReturn(ok("{\"task\":{\"id\":\"9004\"}}")));
        robotCall("create_task", 303, "t-before-reassign", PortalForms.robot("create_task", 303, "t-before-reassign")
                .property("title", "Решение").property("responsible", "user_7"));
        portal.resetAll();
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
        portal.stubFor(portalCall("crm.deal.get").willReturn(ok("{\"ID\":\"303\",\"TITLE\":\"Рекламация TS-1\",\"ASSIGNED_BY_ID\":\"7\"}")));
        portal.stubFor(portalCall("batch").willReturn(ok("{\"result\":{\"deal\":true,\"task9004\":{\"task\":{\"id\":\"9004\"}},"
                + "\"notifyNew\":1,\"notifyOld\":2},\"result_error\":[],\"result_total\":[],\"result_next\":[],\"result_time\":[]}")));

        robotCall("reassign", 303, "t-reassign", PortalForms.robot("reassign", 303, "t-reassign")
                .property("new_responsible", "user_8"));

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "batch"))
                .withRequestBody(containing("crm.deal.update?")).withRequestBody(containing("id=303"))
                .withRequestBody(containing("fields[ASSIGNED_BY_ID]=8"))
                .withRequestBody(containing("tasks.task.update?")).withRequestBody(containing("taskId=9004"))
                .withRequestBody(containing("fields[RESPONSIBLE_ID]=8"))
                .withRequestBody(matchingJsonPath("$.cmd.notifyNew", containing("USER_ID=8")))
                .withRequestBody(matchingJsonPath("$.cmd.notifyOld", containing("USER_ID=7"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send")).withRequestBody(equalToJson(
                "{\"EVENT_TOKEN\":\"t-reassign\",\"RETURN_VALUES\":{\"moved_tasks\":1},"
                        + "\"LOG_MESSAGE\":\"Deal and 1 task(s) moved to user 8\"}")));
    }

    private void robotCall(String code, long deal, String token, PortalForms form) {
        given().contentType(ContentType.URLENC).body(form.asForm()).post("/b24/robots/" + code)
                .then().statusCode(200);
        worker.runDue();
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern equalToJsonValue(String v) {
        return com.github.tomakehurst.wiremock.client.WireMock.equalTo(v);
    }
}
