package ru.b24connector.mail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.PermanentJobFailure;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyDown;
import ru.b24connector.outage.Outages;
import ru.b24connector.portal.PortalClient;

/**
 * Sends one stored decision mail ({@code mail.decision} job): renders it once and keeps the result, sends it
 * through SMTP with its Message-ID, records SENT at once (a retry after that never sends again), then notes it on
 * the deal's timeline. A failed send leaves the mail PENDING and the job queue retries it with backoff. Only a
 * crash between SMTP's acceptance and the SENT commit can send it twice, with the same Message-ID.
 */
@ApplicationScoped
class DecisionMailHandler implements JobHandler {

    @Inject
    DecisionMailService mails;

    @Inject
    DecisionMailComposer composer;

    @Inject
    Mailer mailer;

    @Inject
    PortalClient portal;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @Inject
    Event<DecisionMailSettled> settled;

    @Override
    public String type() {
        return DecisionMailService.JOB_TYPE;
    }

    @Override
    public void handle(Job job) throws Exception {
        long id = json.readValue(job.payload, DecisionMailService.SendJob.class).outboxId();
        MailOutbox row = mails.load(id).orElseThrow(() -> new PermanentJobFailure("mail " + id + " is not stored"));
        if (row.status == MailOutbox.Status.DONE) {
            return;
        }
        if (row.status != MailOutbox.Status.SENT) {
            if (row.subject == null) {
                DecisionMailComposer.Composed composed = composer.compose(row);
                mails.rendered(id, composed.recipient(), composed.language(), composed.subject(), composed.html());
                row = mails.load(id).orElseThrow();
            }
            send(row);
        }
        portal.call("crm.timeline.comment.add", DecisionMailComposer.timelineComment(row.dealId,
                "Дилеру отправлено письмо с решением «" + row.decision.label("ru") + "» на " + row.recipient
                        + " (Message-ID " + row.messageId + ")."));
        mails.recorded(id);
    }

    @Override
    public void onDead(Job job, Exception cause) {
        try {
            long id = json.readValue(job.payload, DecisionMailService.SendJob.class).outboxId();
            mails.failed(id, cause.getMessage());
            mails.load(id).ifPresent(row -> settled.fire(new DecisionMailSettled(row.dedupKey)));
        } catch (Exception e) {
            Log.errorf("Mail job %d: cannot record the failure: %s", job.id, e.getMessage());
        }
    }

    private void send(MailOutbox row) {
        try {
            mailer.send(Mail.withHtml(row.recipient, row.subject, row.body).addHeader("Message-ID", row.messageId));
        } catch (RuntimeException e) {
            mails.attemptFailed(row.id, e.getClass().getSimpleName() + ": " + e.getMessage());
            metrics.counter("connector.mail.sent", "outcome", "failed").increment();
            if (Outages.smtpUnavailable(e)) {
                // SMTP being down is not this mail's failure: it waits for SMTP without spending an attempt
                throw new DependencyDown(Dependency.SMTP, "SMTP unavailable: " + e.getMessage(), e);
            }
            throw e;
        }
        mails.sent(row.id);
        metrics.counter("connector.mail.sent", "outcome", "sent").increment();
        Log.infof("Decision mail for deal %d sent (Message-ID %s)", row.dealId, row.messageId);
        settled.fire(new DecisionMailSettled(row.dedupKey));
    }
}
