package ru.b24connector.escalation;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TaskSpec;
import ru.b24connector.tasks.TrackedTask;
import ru.b24connector.testsupport.GreenMailResource;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.and;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.page;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = GreenMailResource.class, scope = TestResourceScope.GLOBAL)
class EscalationTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;
    private static final Instant T0 = Instant.parse("2026-03-02T07:00:00Z");
    private static final ZoneId PORTAL_ZONE = ZoneId.of("Europe/Moscow");
    private static final long RESPONSIBLE = 7;
    private static final long HEAD = 3;
    /** ESCALATION_SUPERVISOR_ID in %test. */
    private static final long FALLBACK = 1;
    private static final AtomicLong ids = new AtomicLong(700_000 + (System.nanoTime() % 1000) * 100);

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    OverdueTaskScan scan;

    @Inject
    TaskService tasks;

    @Inject
    JobWorker worker;

    @Inject
    EntityManager em;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void clean() {
        at(T0.minus(Duration.ofDays(30)));
        ru.b24connector.testsupport.CleanSlate.reset();
        // each test sees only its own overdue tasks: rows of other tests are closed
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE tracked_task SET status = 'COMPLETED' WHERE status = 'OPEN'").executeUpdate());
        portal.resetAll();
    }

    @AfterEach
    void realTime() {
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
        breakers.resetAll();
    }

    @Test
    void level1NotifiesTheResponsibleAndTheDepartmentHeadOnceAtTheDeadline() {
        Instant deadline = T0.plus(Duration.ofHours(1));
        TrackedTask task = aTrackedTask(123, RESPONSIBLE, deadline);
        givenPortalTask(task.taskId, "3", deadline, RESPONSIBLE);
        // user 7 heads their own department 5, so the head of its parent 1 (user 3) is the supervisor
        givenUser(RESPONSIBLE, 5);
        givenDepartments("""
                [{"ID":"1","NAME":"Company","PARENT":null,"UF_HEAD":"3"},
                 {"ID":"5","NAME":"Claims","PARENT":"1","UF_HEAD":"7"}]""");

        at(deadline.plusSeconds(60));
        assertThat(scan.runOnce().levelsReached()).isEqualTo(1);
        worker.runDue();

        portal.verify(1, notificationTo(RESPONSIBLE, task.taskId));
        portal.verify(1, notificationTo(HEAD, task.taskId));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "batch")).withRequestBody(and(
                containing("\"tasks0\":\"tasks.task.list?"), containing("filter[ID][0]=" + task.taskId),
                containing("select[0]=ID&select[1]=STATUS&select[2]=DEADLINE&select[3]=RESPONSIBLE_ID"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "batch")).withRequestBody(containing("user.get?ID=7")));
        assertThat(level(task)).isEqualTo(1);

        // a second pass, and a "restarted" service (nothing in memory: the level is in the database), repeat nothing
        at(deadline.plus(Duration.ofHours(2)));
        scan.runOnce();
        worker.runDue();
        assertThat(tasks.markEscalated(task.id, 1)).as("level 1 is already recorded").isFalse();
        portal.verify(1, notificationTo(RESPONSIBLE, task.taskId));
        portal.verify(1, notificationTo(HEAD, task.taskId));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")).withRequestBody(
                matchingJsonPath("$.fields.RESPONSIBLE_ID", equalTo(String.valueOf(HEAD)))));
    }

    @Test
    void level2GivesTheSupervisorATaskAndCommentsOnTheDealHoursLater() {
        Instant deadline = T0.plus(Duration.ofHours(1));
        TrackedTask task = aTrackedTask(124, RESPONSIBLE, deadline);
        givenPortalTask(task.taskId, "3", deadline, RESPONSIBLE);
        givenUser(RESPONSIBLE, 5);
        givenDepartments("""
                [{"ID":"5","NAME":"Claims","PARENT":"0","UF_HEAD":"3"}]""");
        at(deadline.plusSeconds(1));
        scan.runOnce();
        worker.runDue();

        long supervisorTaskId = ids.incrementAndGet();
        portal.stubFor(portalCall("tasks.task.add").willReturn(ok("{\"task\":{\"id\":\"" + supervisorTaskId + "\"}}")));
        portal.stubFor(portalCall("crm.timeline.comment.add").willReturn(ok("991")));
        at(deadline.plus(Duration.ofHours(4)).plusSeconds(1));
        assertThat(scan.runOnce().levelsReached()).isEqualTo(1);
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")).withRequestBody(and(
                matchingJsonPath("$.fields.RESPONSIBLE_ID", equalTo(String.valueOf(HEAD))),
                matchingJsonPath("$.fields.UF_CRM_TASK[0]", equalTo("D_124")),
                matchingJsonPath("$.fields.TITLE", containing("Просроченная задача")))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.timeline.comment.add")).withRequestBody(and(
                matchingJsonPath("$.fields.ENTITY_ID", equalTo("124")),
                matchingJsonPath("$.fields.ENTITY_TYPE", equalTo("deal")),
                matchingJsonPath("$.fields.COMMENT", containing("#" + task.taskId)))));
        assertThat(tasks.findByKey("escalation:" + task.id + ":2")).get()
                .satisfies(t -> assertThat(t.taskId).isEqualTo(supervisorTaskId));
        assertThat(level(task)).isEqualTo(2);

        // days later: the task is at the last level and the supervisor's own task never escalates in a loop
        portal.resetRequests();
        at(deadline.plus(Duration.ofDays(3)));
        assertThat(scan.runOnce().checked()).isZero();
        worker.runDue();
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "batch")));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")));
    }

    @Test
    void aTaskCompletedBeforeLevel2StopsEscalating() {
        Instant deadline = T0.plus(Duration.ofHours(1));
        TrackedTask task = aTrackedTask(125, RESPONSIBLE, deadline);
        givenPortalTask(task.taskId, "3", deadline, RESPONSIBLE);
        givenUser(RESPONSIBLE, 5);
        givenDepartments("""
                [{"ID":"5","NAME":"Claims","PARENT":"0","UF_HEAD":"3"}]""");
        at(deadline.plusSeconds(1));
        scan.runOnce();
        worker.runDue();

        givenPortalTask(task.taskId, "5", deadline, RESPONSIBLE); // completed in the portal meanwhile
        at(deadline.plus(Duration.ofHours(5)));
        OverdueTaskScan.Result result = scan.runOnce();
        worker.runDue();

        assertThat(result.stopped()).isEqualTo(1);
        assertThat(result.levelsReached()).isZero();
        assertThat(tasks.findByTaskId(task.taskId).orElseThrow().status).isEqualTo(TrackedTask.Status.COMPLETED);
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")).withRequestBody(
                matchingJsonPath("$.fields.RESPONSIBLE_ID", equalTo(String.valueOf(HEAD)))));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "crm.timeline.comment.add")));
    }

    @Test
    void aDeadlineMovedIntoTheFutureStopsEscalating() {
        Instant deadline = T0.plus(Duration.ofHours(1));
        TrackedTask task = aTrackedTask(126, RESPONSIBLE, deadline);
        givenPortalTask(task.taskId, "3", deadline.plus(Duration.ofDays(2)), RESPONSIBLE);

        at(deadline.plus(Duration.ofHours(1)));
        OverdueTaskScan.Result result = scan.runOnce();
        worker.runDue();

        assertThat(result.stopped()).isEqualTo(1);
        assertThat(level(task)).isZero();
        assertThat(tasks.findByTaskId(task.taskId).orElseThrow().deadline).isEqualTo(deadline.plus(Duration.ofDays(2)));
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add")));
    }

    @Test
    void withoutADepartmentHeadTheConfiguredSupervisorIsNotified() {
        long responsible = 8;
        Instant deadline = T0.plus(Duration.ofHours(1));
        TrackedTask task = aTrackedTask(127, responsible, deadline);
        givenPortalTask(task.taskId, "2", deadline, responsible);
        givenUser(responsible, 6);
        givenDepartments("""
                [{"ID":"6","NAME":"Service","PARENT":"0","UF_HEAD":""}]""");

        at(deadline.plusSeconds(1));
        scan.runOnce();
        worker.runDue();

        portal.verify(1, notificationTo(responsible, task.taskId));
        portal.verify(1, notificationTo(FALLBACK, task.taskId));
    }

    @Test
    void aNewResponsibleSeenInThePortalIsTheOneNotified() {
        long newResponsible = 9;
        Instant deadline = T0.plus(Duration.ofHours(1));
        TrackedTask task = aTrackedTask(128, RESPONSIBLE, deadline);
        givenPortalTask(task.taskId, "3", deadline, newResponsible); // the deal was handed to another manager
        givenUser(newResponsible, 5);
        givenDepartments("""
                [{"ID":"5","NAME":"Claims","PARENT":"0","UF_HEAD":"3"}]""");

        at(deadline.plusSeconds(1));
        scan.runOnce();
        worker.runDue();

        portal.verify(1, notificationTo(newResponsible, task.taskId));
        portal.verify(0, notificationTo(RESPONSIBLE, task.taskId));
        portal.verify(1, notificationTo(HEAD, task.taskId));
    }

    @Test
    void twoReplicasScanningAtOnceCarryOutTheLevelOnce() throws Exception {
        Instant deadline = T0.plus(Duration.ofHours(1));
        TrackedTask task = aTrackedTask(130, RESPONSIBLE, deadline);
        givenPortalTask(task.taskId, "3", deadline, RESPONSIBLE);
        givenUser(RESPONSIBLE, 5);
        givenDepartments("""
                [{"ID":"5","NAME":"Claims","PARENT":"0","UF_HEAD":"3"}]""");
        at(deadline.plusSeconds(1));

        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<OverdueTaskScan.Result>> runs = replicas.invokeAll(
                    List.of(() -> scan.runOnce(), () -> scan.runOnce()));
            int reached = 0;
            for (Future<OverdueTaskScan.Result> run : runs) {
                reached += run.get().levelsReached();
            }
            assertThat(reached).isEqualTo(1);
        } finally {
            replicas.shutdown();
        }
        worker.runDue();

        portal.verify(1, notificationTo(RESPONSIBLE, task.taskId));
        portal.verify(1, notificationTo(HEAD, task.taskId));
    }

    @Test
    void afterADowntimeEveryMissedLevelIsCarriedOutInOrderOnce() {
        Instant deadline = T0.plus(Duration.ofHours(1));
        TrackedTask task = aTrackedTask(131, RESPONSIBLE, deadline);
        givenPortalTask(task.taskId, "3", deadline, RESPONSIBLE);
        givenUser(RESPONSIBLE, 5);
        givenDepartments("""
                [{"ID":"5","NAME":"Claims","PARENT":"0","UF_HEAD":"3"}]""");
        portal.stubFor(portalCall("tasks.task.add").willReturn(ok("{\"task\":{\"id\":\"" + ids.incrementAndGet() + "\"}}")));
        portal.stubFor(portalCall("crm.timeline.comment.add").willReturn(ok("992")));

        at(deadline.plus(Duration.ofDays(1)));
        assertThat(scan.runOnce().levelsReached()).isEqualTo(2);
        worker.runDue();

        portal.verify(1, notificationTo(RESPONSIBLE, task.taskId));
        portal.verify(1, notificationTo(HEAD, task.taskId));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")).withRequestBody(
                matchingJsonPath("$.fields.RESPONSIBLE_ID", equalTo(String.valueOf(HEAD)))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.timeline.comment.add")));
        assertThat(level(task)).isEqualTo(2);
    }

    @Test
    void adminSeesOverdueTasksWithTheirLevelOnlyWithTheToken() {
        Instant deadline = T0.plus(Duration.ofHours(1));
        TrackedTask task = aTrackedTask(129, RESPONSIBLE, deadline);
        givenPortalTask(task.taskId, "3", deadline, RESPONSIBLE);
        givenUser(RESPONSIBLE, 5);
        givenDepartments("""
                [{"ID":"5","NAME":"Claims","PARENT":"0","UF_HEAD":"3"}]""");
        at(deadline.plus(Duration.ofMinutes(90)));
        scan.runOnce();

        given().when().get("/admin/overdue-tasks").then().statusCode(401)
                .contentType("application/problem+json").body("status", is(401));
        given().header("Authorization", "Bearer wrong-token").when().get("/admin/overdue-tasks").then()
                .statusCode(401);
        given().header("Authorization", "Bearer test-admin-token").when().get("/admin/overdue-tasks").then()
                .statusCode(200)
                .body("size()", is(1))
                .body("[0].taskId", is((int) (long) task.taskId))
                .body("[0].dealId", is(129))
                .body("[0].responsibleId", is(7))
                .body("[0].lateMinutes", is(90))
                .body("[0].late", is("PT1H30M"))
                .body("[0].level", is(1))
                .body("[0].levels", is(2));
    }

    // --- given

    private TrackedTask aTrackedTask(long dealId, long responsible, Instant deadline) {
        long taskId = ids.incrementAndGet();
        portal.stubFor(portalCall("tasks.task.add").willReturn(ok("{\"task\":{\"id\":\"" + taskId + "\"}}")));
        TrackedTask task = tasks.create(new TaskSpec("test:escalation:" + taskId, "process:test", dealId,
                "Запросить фото дефекта", "", responsible, deadline, null));
        portal.resetAll();
        portal.stubFor(portalCall("im.notify.system.add").willReturn(ok("1001")));
        return task;
    }

    /** The portal's answer to the batched tasks.task.list by ID (shape of reference §12.4 and §12.7). */
    private void givenPortalTask(long taskId, String status, Instant deadline, long responsible) {
        String row = "{\"id\":\"" + taskId + "\",\"status\":\"" + status + "\",\"subStatus\":\"-1\","
                + "\"deadline\":\"" + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(deadline.atZone(PORTAL_ZONE))
                + "\",\"responsibleId\":\"" + responsible + "\"}";
        portal.stubFor(batch("tasks.task.list").willReturn(ok("""
                {"result":{"tasks0":{"tasks":[%s]}},"result_error":[],"result_total":{"tasks0":1},
                 "result_next":[],"result_time":{}}""".formatted(row))));
    }

    private void givenUser(long user, long department) {
        portal.stubFor(batch("user.get").willReturn(ok("""
                {"result":{"user%d":[{"ID":"%d","NAME":"Иван","LAST_NAME":"Петров","UF_DEPARTMENT":[%d]}]},
                 "result_error":[],"result_total":{"user%d":1},"result_next":[],"result_time":{}}"""
                .formatted(user, user, department, user))));
    }

    private void givenDepartments(String rows) {
        portal.stubFor(portalCall("department.get").willReturn(page(rows, 2, null)));
    }

    private static MappingBuilder batch(String containing) {
        return portalCall("batch").withRequestBody(containing(containing));
    }

    private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder notificationTo(long user, long taskId) {
        return postRequestedFor(urlPathEqualTo(HOOK + "im.notify.system.add")).withRequestBody(and(
                matchingJsonPath("$.USER_ID", equalTo(String.valueOf(user))),
                matchingJsonPath("$.MESSAGE", containing("/task/view/" + taskId + "/"))));
    }

    private int level(TrackedTask task) {
        return tasks.findByTaskId(task.taskId).orElseThrow().escalationLevel;
    }

    private static void at(Instant now) {
        QuarkusMock.installMockForType(Clock.fixed(now, ZoneOffset.UTC), Clock.class);
    }
}
