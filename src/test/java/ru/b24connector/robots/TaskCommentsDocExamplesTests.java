package ru.b24connector.robots;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.fixture;
import static ru.b24connector.testsupport.PortalStubs.json;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * Task comments, replaying the documentation's example answers (src/test/resources/b24/docs/README.md): the new task
 * card keeps comments in the task's chat ({@code tasks/tasks-new.md}: {@code tasks.task.get} → {@code chatId},
 * {@code im.dialog.messages.get} with {@code DIALOG_ID=chat<id>}); the old card answers
 * {@code task.commentitem.getlist}, whose parameters must come in the documented order
 * ({@code tasks/comment-item/task-comment-item-get-list.md}).
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class TaskCommentsDocExamplesTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    TaskAnswerReader answers;

    @Inject
    JobWorker worker;

    @BeforeEach
    void clean() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
    }

    @Test
    @DisplayName("New card (tasks/tasks-new.md, chats/messages/im-dialog-messages-get.md): the colleague's newest chat"
            + " message is the answer; the chat's system notice (author 0, params.CODE) is not")
    void theNewCardsAnswerIsTheColleaguesNewestChatMessage() {
        portal.stubFor(portalCall("tasks.task.get").willReturn(json(200, fixture("/b24/docs/tasks.task.get-chat.json"))));
        portal.stubFor(portalCall("im.dialog.messages.get").willReturn(json(200, fixture("/b24/docs/im.dialog.messages.get.json"))));
        // older than the oldest message there is nothing: empty arrays, as the page says
        portal.stubFor(portalCall("im.dialog.messages.get").atPriority(1).withRequestBody(matchingJsonPath("$.LAST_ID"))
                .willReturn(ok("{\"chat_id\":1489,\"messages\":[],\"users\":[],\"files\":[]}")));

        assertThat(answers.answerOf(51, 503)).isEqualTo("Рады тебе очень!");
        // user 547 only joined the chat (a system notice mentions them): no answer of theirs
        assertThat(answers.answerOf(51, 547)).isEmpty();

        portal.verify(postRequestedFor(urlPathEqualTo(HOOK + "im.dialog.messages.get"))
                .withRequestBody(matchingJsonPath("$.DIALOG_ID", com.github.tomakehurst.wiremock.client.WireMock.equalTo("chat2537"))));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "task.commentitem.getlist")));
    }

    @Test
    @DisplayName("Old card (tasks/tasks-task-get.md has no chatId): task.commentitem.getlist with TASKID, ORDER, FILTER"
            + " in that order; the newest comment of the colleague")
    void theOldCardsAnswerIsTheNewestCommentAskedForInTheDocumentedOrder() {
        portal.stubFor(portalCall("tasks.task.get").willReturn(json(200, fixture("/b24/docs/tasks.task.get.json"))));
        // the portal reads the parameters by position: any other order is refused as the docs show
        portal.stubFor(portalCall("task.commentitem.getlist").atPriority(9)
                .willReturn(json(400, fixture("/b24/docs/task.commentitem.getlist-order-error.json"))));
        portal.stubFor(portalCall("task.commentitem.getlist").atPriority(1)
                .withRequestBody(matching("^\\{\"TASKID\":8017,\"ORDER\":\\{.*\\},\"FILTER\":\\{.*\\}\\}$"))
                .willReturn(json(200, fixture("/b24/docs/task.commentitem.getlist.json"))));

        assertThat(answers.answerOf(8017, 503)).isEqualTo("Фотографии во вложении");
    }

    @Test
    @DisplayName("request_info end to end on a new-card portal: the answer from the task chat goes to the deal and the"
            + " robot; task.commentitem.getlist (empty there) is not asked")
    void requestInfoReturnsTheAnswerFromTheTaskChat() {
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
        portal.stubFor(portalCall("tasks.task.add").willReturn(ok("{\"task\":{\"id\":\"9102\"}}")));
        given().contentType(ContentType.URLENC).body(PortalForms.robot("request_info", 401, "t-chat")
                        .property("question", "Нужна ли экспертиза?").property("ask_user", "user_12").asForm())
                .post("/b24/robots/request_info").then().statusCode(200);
        worker.runDue();

        portal.stubFor(portalCall("tasks.task.get").willReturn(ok(
                "{\"task\":{\"id\":\"9102\",\"status\":\"5\",\"responsibleId\":\"12\",\"chatId\":2600}}")));
        portal.stubFor(portalCall("task.commentitem.getlist").willReturn(ok("[]")));
        portal.stubFor(portalCall("im.dialog.messages.get").willReturn(ok("{\"chat_id\":2600,\"messages\":["
                + "{\"id\":905,\"chat_id\":2600,\"author_id\":12,\"date\":\"2026-03-04T09:43:26+03:00\","
                + "\"text\":\"Да, выезд нужен\",\"unread\":false,\"uuid\":\"a1\",\"replaces\":[],\"params\":[],"
                + "\"disappearing_date\":null},"
                + "{\"id\":904,\"chat_id\":2600,\"author_id\":1,\"date\":\"2026-03-04T09:40:00+03:00\","
                + "\"text\":\"Напоминаю о вопросе\",\"unread\":false,\"uuid\":\"a0\",\"replaces\":[],\"params\":[],"
                + "\"disappearing_date\":null},"
                + "{\"id\":900,\"chat_id\":2600,\"author_id\":0,\"date\":\"2026-03-04T09:00:00+03:00\","
                + "\"text\":\"Задача создана\",\"unread\":false,\"uuid\":null,\"replaces\":[],"
                + "\"params\":{\"CODE\":[\"TASK_CREATED\"],\"NOTIFY\":\"N\"},\"disappearing_date\":null}],"
                + "\"users\":[],\"files\":[]}")));
        portal.stubFor(portalCall("batch").willReturn(ok(
                "{\"result\":{\"qa\":5601},\"result_error\":[],\"result_total\":[],\"result_next\":[],\"result_time\":[]}")));
        given().contentType(ContentType.URLENC).body(PortalForms.event("ONTASKUPDATE", 9102).asForm())
                .post("/b24/events").then().statusCode(200);
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send")).withRequestBody(equalToJson(
                "{\"EVENT_TOKEN\":\"t-chat\",\"RETURN_VALUES\":{\"answer\":\"Да, выезд нужен\"},"
                        + "\"LOG_MESSAGE\":\"Answered by user 12\"}")));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "task.commentitem.getlist")));
    }
}
