package ru.b24connector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.PermanentJobFailure;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.robots.ReassignRobot;
import ru.b24connector.robots.RequestInfoRobot;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The card's and the board's actions. A click is stored with the portal user who made it and queued as a
 * {@code ui.action} job in one transaction, keyed by the form's nonce, so one click acts once; the job does what
 * the robots do ({@code request_info}, {@code reassign}) or resends the decision mail.
 */
@ApplicationScoped
public class CardActions implements JobHandler {

    static final String JOB = "ui.action";

    /** Hours a colleague has to answer a question asked from the card (the robot's default). */
    static final int ANSWER_HOURS = 24;

    @Inject
    EntityManager em;

    @Inject
    JobQueue jobs;

    @Inject
    RequestInfoRobot requestInfo;

    @Inject
    ReassignRobot reassign;

    @Inject
    DecisionMailService mails;

    @Inject
    ObjectMapper json;

    @Inject
    CardPage cards;

    @Inject
    Clock clock;

    /**
     * Records the click and queues its job; a repeat of the same nonce changes nothing.
     *
     * @return true when this call stored it (false: the same form was submitted before)
     */
    public boolean submit(UiSession session, long dealId, UiAction.Kind action, Map<String, Object> params,
                          String nonce) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            int inserted = em.createNativeQuery("""
                            INSERT IGNORE INTO ui_action (nonce, deal_id, action, member_id, user_id, user_name, params,
                                                          status, created_at, updated_at)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'QUEUED', ?8, ?8)""")
                    .setParameter(1, nonce).setParameter(2, dealId).setParameter(3, action.name())
                    .setParameter(4, session.memberId()).setParameter(5, session.userId())
                    .setParameter(6, session.userName()).setParameter(7, json.writeValueAsString(params))
                    .setParameter(8, Timestamp.from(now)).executeUpdate();
            cards.forget(dealId);
            if (inserted == 1) {
                jobs.enqueue(JOB, "ui:" + nonce, Map.of("nonce", nonce));
                Log.infof("User %d asked for %s on deal %d", session.userId(), action, dealId);
            }
            return inserted == 1;
        });
    }

    /** Clicks on a deal, oldest first. */
    public List<UiAction> ofDeal(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "from UiAction where dealId = :d order by id", UiAction.class).setParameter("d", dealId).getResultList());
    }

    @Override
    public String type() {
        return JOB;
    }

    @Override
    public void handle(Job job) throws Exception {
        String nonce = json.readTree(job.payload).path("nonce").asText();
        UiAction action = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "from UiAction where nonce = :n", UiAction.class).setParameter("n", nonce)
                .getResultStream().findFirst().orElse(null));
        if (action == null) {
            throw new PermanentJobFailure("ui action " + nonce + " is gone");
        }
        if (action.status != UiAction.Status.QUEUED) {
            return;
        }
        JsonNode p = json.readTree(action.params);
        String result = switch (action.action) {
            case ASK -> {
                requestInfo.ask("ui:" + nonce, action.dealId, p.hasNonNull("item") ? p.path("item").asInt() : null,
                        p.path("question").asText(), p.path("askUser").asLong(), ANSWER_HOURS, action.userId);
                yield "asked user " + p.path("askUser").asLong();
            }
            case REASSIGN -> {
                int moved = reassign.reassign(action.dealId, p.path("newResponsible").asLong());
                yield "moved to user " + p.path("newResponsible").asLong() + " with " + moved + " task(s)";
            }
            case RESEND -> mails.resendLatest(action.dealId, "ui:resend:" + nonce)
                    .map(r -> "queued " + r.messageId())
                    .orElseThrow(() -> new PermanentJobFailure("deal " + action.dealId + " has no decision mail"));
        };
        finish(action.id, UiAction.Status.DONE, result);
        cards.forget(action.dealId);
    }

    @Override
    public void onDead(Job job, Exception cause) {
        try {
            String nonce = json.readTree(job.payload).path("nonce").asText();
            QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                            "update UiAction set status = :s, result = :r, updatedAt = :t where nonce = :n")
                    .setParameter("s", UiAction.Status.FAILED).setParameter("r", truncate(cause.getMessage()))
                    .setParameter("t", clock.instant()).setParameter("n", nonce).executeUpdate());
        } catch (Exception e) {
            Log.warnf("A dead ui action could not be marked failed: %s", e.getMessage());
        }
    }

    private void finish(long id, UiAction.Status status, String result) {
        QuarkusTransaction.requiringNew().run(() -> {
            UiAction row = em.find(UiAction.class, id);
            row.status = status;
            row.result = truncate(result);
            row.updatedAt = clock.instant();
        });
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }
}
