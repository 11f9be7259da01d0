package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.PermanentJobFailure;
import ru.b24connector.mail.DealerDecisionRecorded;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a decision made in the portal back to the 1C document its deal came from ({@code ONEC_WRITE_BACK=true}):
 * {@code PATCH Document_...(guid'<ref>')} with the decision, its comment and date. The write is logged PENDING in
 * the transaction that records the decision, then sent by a job (waits while 1C is down or out of sessions; a
 * refusal, including 1C's business refusal "500 / -1", is logged FAILED with 1C's message).
 */
@ApplicationScoped
class OneCWriteBack implements JobHandler {

    static final String JOB = "onec.write";
    private static final DateTimeFormatter ONEC_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    @Inject
    OneCConfig config;

    @Inject
    OneCExchangeLog log;

    @Inject
    OneCExchangeQueries queries;

    @Inject
    OneCODataClient odata;

    @Inject
    JobQueue jobs;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    void onDecision(@Observes DealerDecisionRecorded decision) {
        if (!config.writeBack() || !odata.configured()) {
            return;
        }
        Optional<OneCObject> reclamation = queries.reclamationOfDeal(decision.dealId());
        if (reclamation.isEmpty()) {
            return; // the deal did not come from 1C
        }
        OneCConfig.Fields f = config.fields();
        ObjectNode body = json.createObjectNode();
        body.put(f.decision(), switch (decision.decision()) {
            case APPROVED -> config.decisionValues().approved();
            case REJECTED -> config.decisionValues().rejected();
            case PARTIAL -> config.decisionValues().partial();
        });
        body.put(f.decisionComment(), decision.comment() == null ? "" : decision.comment());
        body.put(f.decisionDate(), ONEC_DATE.format(LocalDateTime.now(clock.withZone(config.zone())).truncatedTo(ChronoUnit.SECONDS)));
        // joins the decision's transaction: the decision and its write back are recorded together
        OneCExchange entry = log.openWrite(OneCRecords.Kind.RECLAMATION, reclamation.get().ref,
                "decision " + decision.decision().code(), decision.dealId(), body.toString());
        jobs.enqueue(JOB, "onec.write:" + decision.dedupKey(), Map.of("exchangeId", entry.id), null, null);
    }

    @Override
    public String type() {
        return JOB;
    }

    @Override
    public void handle(Job job) throws Exception {
        long exchangeId = json.readTree(job.payload).path("exchangeId").asLong();
        OneCExchange entry = log.find(exchangeId).orElseThrow();
        if (entry.status == OneCExchange.Status.SENT) {
            return; // sent before the worker could mark the job done (a FAILED one is sent again on replay)
        }
        JsonNode attributes = json.readTree(entry.payload);
        try {
            odata.patch(config.reclamationSet(), entry.ref, attributes);
        } catch (OneCODataClient.Refused e) {
            // a refusal of this document (a business refusal is 500 with code -1): this write alone fails, with
            // 1C's own words in the exchange log, over whatever an earlier outage noted
            log.finish(exchangeId, OneCExchange.Status.FAILED, entry.dealId, null, e.getMessage());
            Log.warnf("1C refused the decision of deal %d for %s (exchange %d): %s", entry.dealId, entry.ref, exchangeId,
                    e.getMessage());
            throw new PermanentJobFailure(e.getMessage(), e);
        } catch (OneCODataClient.Unavailable e) {
            // 1C down, out of sessions (406) or refusing our credentials: the write waits, spending no attempt
            log.noteError(exchangeId, e.getMessage());
            throw e;
        }
        log.finish(exchangeId, OneCExchange.Status.SENT, entry.dealId, null, null);
        Log.infof("Wrote the decision of deal %d back to 1C %s (exchange %d)", entry.dealId, entry.ref, exchangeId);
    }

    @Override
    public void onDead(Job job, Exception cause) {
        log.failJob(job, cause);
    }
}
