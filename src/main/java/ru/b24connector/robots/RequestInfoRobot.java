package ru.b24connector.robots;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.PermanentJobFailure;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TaskSpec;
import ru.b24connector.tasks.TrackedTask;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code request_info}: asks a colleague a question about the deal as a task, waits until the task is completed,
 * stores question and answer on the deal's timeline and returns the answer (the colleague's latest message in the
 * task's chat, or comment on a portal with the old task card: {@link TaskAnswerReader}). When the robot's timeout passes first, the portal is told so.
 */
@ApplicationScoped
public class RequestInfoRobot implements Robot, JobHandler {

    static final String ANSWER_JOB = "robot.request_info.finish";
    private static final String KEY_PREFIX = "robot:request_info:";
    private static final String CARD_PREFIX = "card:request_info:";

    @Inject
    TaskService tasks;

    @Inject
    PortalClient portal;

    @Inject
    TaskAnswerReader answers;

    @Inject
    RobotService robots;

    @Inject
    Inbox inbox;

    @Inject
    JobQueue jobs;

    @Inject
    EntityManager em;

    @Inject
    ru.b24connector.cluster.PeriodGate gate;

    @Inject
    Clock clock;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Override
    public String code() {
        return "request_info";
    }

    @Override
    public RobotDefinition definition() {
        LinkedHashMap<String, RobotDefinition.Property> in = new LinkedHashMap<>();
        in.put("question", RobotDefinition.Property.of("Вопрос", "Question", "text", true));
        in.put("ask_user", RobotDefinition.Property.of("Кого спросить", "Ask user", "user", true));
        in.put("deadline_hours", RobotDefinition.Property.of("Срок ответа, часов", "Answer within, hours", "int", false)
                .withDefault("24"));
        LinkedHashMap<String, RobotDefinition.Property> out = new LinkedHashMap<>();
        out.put("answer", RobotDefinition.Property.of("Ответ", "Answer", "text", false));
        return new RobotDefinition(Map.of("ru", "Запросить информацию у коллеги", "en", "Request information"),
                Map.of("ru", "Задача коллеге с вопросом; ответ сохраняется в сделке и возвращается",
                        "en", "A task with a question for a colleague; the answer is stored on the deal and returned"),
                in, out);
    }

    @Override
    public RobotResult run(RobotCall call) {
        long dealId = call.dealId();
        String question = call.required("question");
        long askUser = call.user("ask_user");
        int hours = call.integer("deadline_hours", 1, 24 * 365, 24);
        TrackedTask task = askTask(KEY_PREFIX + call.eventToken(), "robot:request_info", dealId, question, askUser,
                hours, call.userId().orElse(null));
        Instant expires = call.timeoutSeconds() > 0
                ? Instant.ofEpochSecond(call.receivedAtEpochSecond()).plusSeconds(call.timeoutSeconds()) : null;
        QuarkusTransaction.requiringNew().run(() -> {
            boolean exists = !em.createQuery("from RobotWait where inboxId = :i", RobotWait.class)
                    .setParameter("i", call.inboxId()).getResultList().isEmpty();
            if (!exists) {
                RobotWait wait = new RobotWait();
                wait.inboxId = call.inboxId();
                wait.taskId = task.taskId;
                wait.dealId = dealId;
                wait.askUser = askUser;
                wait.question = question;
                wait.status = RobotWait.Status.WAITING;
                wait.expiresAt = expires;
                wait.createdAt = clock.instant();
                wait.updatedAt = wait.createdAt;
                em.persist(wait);
            }
        });
        return RobotResult.later();
    }

    /**
     * Asks a colleague about an item of the deal the way the robot does (a task with the question; the answer, the
     * colleague's comment when the task is completed, goes on the deal's timeline and into the wait row), for a
     * person asking from the deal card. Idempotent by {@code key}: one click asks once.
     *
     * @param itemIndex the claim's item (0-based), or null for the whole deal
     * @param askedBy   the portal user who asked
     */
    public void ask(String key, long dealId, Integer itemIndex, String question, long askUser, int hours, long askedBy) {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "INSERT IGNORE INTO robot_wait (inbox_id, task_id, deal_id, item_index, ask_user, asked_by, "
                                + "question_key, question, status, created_at, updated_at, version) "
                                + "VALUES (NULL, 0, ?1, ?2, ?3, ?4, ?5, ?6, 'WAITING', ?7, ?7, 0)")
                .setParameter(1, dealId).setParameter(2, itemIndex).setParameter(3, askUser).setParameter(4, askedBy)
                .setParameter(5, key).setParameter(6, question).setParameter(7, java.sql.Timestamp.from(now))
                .executeUpdate());
        TrackedTask task = askTask(CARD_PREFIX + key, "card:request_info", dealId, question, askUser, hours, askedBy);
        QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                        "update RobotWait set taskId = :t, updatedAt = :now where questionKey = :k and taskId = 0")
                .setParameter("t", task.taskId).setParameter("now", clock.instant()).setParameter("k", key)
                .executeUpdate());
    }

    /** A question about a deal and where it stands. */
    public record Question(long id, Integer itemIndex, String question, Long askedBy, long askUser, Long taskId,
                           String status, String answer, Instant askedAt, Instant updatedAt, boolean fromRobot) {
    }

    /** Questions asked about a deal (by robots and from the card), oldest first. */
    public List<Question> questionsOf(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "from RobotWait where dealId = :d order by id", RobotWait.class).setParameter("d", dealId)
                .getResultList().stream().map(w -> new Question(w.id, w.itemIndex, w.question, w.askedBy, w.askUser,
                        w.taskId == 0 ? null : w.taskId, w.status.name(), w.answer, w.createdAt, w.updatedAt,
                        w.inboxId != null)).toList());
    }

    private TrackedTask askTask(String key, String source, long dealId, String question, long askUser, int hours,
                                Long createdBy) {
        return tasks.create(new TaskSpec(key, source, dealId, "Вопрос по сделке #" + dealId,
                question + "\n\nОтветьте комментарием к задаче и завершите её.", askUser,
                clock.instant().plus(Duration.ofHours(hours)), createdBy));
    }

    /** The asked task is done: finish the robot run in a job of its own, so a failure is retried. */
    void onTaskCompleted(@Observes TaskService.TaskCompleted completed) {
        if (completed.dedupKey().startsWith(KEY_PREFIX) || completed.dedupKey().startsWith(CARD_PREFIX)) {
            jobs.enqueue(ANSWER_JOB, "task:" + completed.taskId(), Map.of("taskId", completed.taskId()));
        }
    }

    @Scheduled(identity = "request-info-timeouts", every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        if (gate.tryStart("request-info-timeouts", Duration.ofMinutes(1))) {
            expireOverdue();
        }
    }

    /** Ends waits whose robot timeout has passed: the portal gets "no answer" instead of silence. */
    public int expireOverdue() {
        List<RobotWait> overdue = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "from RobotWait where status = :s and expiresAt < :now", RobotWait.class)
                .setParameter("s", RobotWait.Status.WAITING).setParameter("now", clock.instant()).getResultList());
        for (RobotWait wait : overdue) {
            jobs.enqueue(ANSWER_JOB, "timeout:" + wait.id, Map.of("waitId", wait.id, "timeout", true));
        }
        return overdue.size();
    }

    @Override
    public String type() {
        return ANSWER_JOB;
    }

    @Override
    public void handle(Job job) throws Exception {
        JsonNode payload = json.readTree(job.payload);
        RobotWait wait = QuarkusTransaction.requiringNew().call(() -> payload.has("waitId")
                ? em.find(RobotWait.class, payload.path("waitId").asLong())
                : em.createQuery("from RobotWait where taskId = :t", RobotWait.class)
                .setParameter("t", payload.path("taskId").asLong()).getResultStream().findFirst().orElse(null));
        if (wait == null || wait.status != RobotWait.Status.WAITING) {
            return; // finished already (answered, or timed out)
        }
        RobotCall call = wait.inboxId == null ? null : robots.load(inbox.find(wait.inboxId)
                .orElseThrow(() -> new PermanentJobFailure("robot call " + wait.inboxId + " is gone")));
        // answer the portal first, then record it: a crash in between re-sends, and the portal refuses a
        // second answer for the same event token, which RobotService treats as done
        if (payload.path("timeout").asBoolean() && call != null) {
            robots.answer(call, RobotResult.of(Map.of("answer", ""),
                    "No answer from user " + wait.askUser + " before the robot's timeout"));
            finish(wait, RobotWait.Status.TIMED_OUT, null);
            return;
        }
        String answer = answers.answerOf(wait.taskId, wait.askUser);
        PortalBatch comment = PortalBatch.create().add("qa", "crm.timeline.comment.add", Map.of("fields", Map.of(
                "ENTITY_ID", wait.dealId, "ENTITY_TYPE", "deal",
                "COMMENT", "Вопрос: " + wait.question + "\nОтвет ([USER=" + wait.askUser + "]): " + answer)));
        portal.batch(comment).result("qa");
        if (call != null) {
            robots.answer(call, RobotResult.of(Map.of("answer", answer), "Answered by user " + wait.askUser));
        }
        finish(wait, RobotWait.Status.ANSWERED, answer);
    }

    private void finish(RobotWait wait, RobotWait.Status status, String answer) {
        QuarkusTransaction.requiringNew().run(() -> {
            RobotWait row = em.find(RobotWait.class, wait.id);
            row.status = status;
            row.answer = answer;
            row.updatedAt = clock.instant();
        });
    }
}
