package ru.b24connector.mail;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import ru.b24connector.jobs.JobQueue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The decision e-mail to a dealer. {@link #requestDecisionMail} stores the mail and the job that sends it in one
 * transaction and returns at once; the job renders, sends through SMTP (retried with backoff while it fails),
 * and notes the mail on the deal's timeline. Called by the process engine (decision stage) and the
 * {@code send_dealer_decision} robot.
 */
@ApplicationScoped
public class DecisionMailService {

    static final String KIND = "decision";
    static final String JOB_TYPE = "mail.decision";

    /**
     * The stored request.
     *
     * @param duplicate true when the same dedup key had been requested before (nothing new was stored)
     */
    public record DecisionMailRequest(long outboxId, String messageId, boolean duplicate) {
    }

    /** Where a requested mail stands. */
    public record DecisionMailState(long outboxId, long dealId, String status, String recipient, String messageId,
                                    Instant sentAt, int attempts, String lastError) {
    }

    /** Payload of a {@code mail.decision} job. */
    record SendJob(long outboxId) {
    }

    @Inject
    EntityManager em;

    @Inject
    MailOutboxRepository outbox;

    @Inject
    JobQueue jobs;

    @Inject
    MailConfig config;

    @Inject
    Clock clock;

    @Inject
    jakarta.enterprise.event.Event<DealerDecisionRecorded> decisions;

    /**
     * Stores a decision mail for the deal and queues its sending; a second request with the same key changes
     * nothing and returns the first one.
     *
     * @param email    recipient; empty: the e-mail of the deal's contact
     * @param dedupKey same business fact ⇒ same key ⇒ one mail (e.g. {@code process:decision:<deal>:<stage entry>})
     */
    @Transactional
    public DecisionMailRequest requestDecisionMail(long dealId, Decision decision, String comment,
                                                   Optional<String> email, String dedupKey) {
        return store(dealId, decision, comment, email, dedupKey, true);
    }

    /**
     * Sends the deal's latest decision mail again, as a new mail with its own key and Message-ID (same decision,
     * comment and address). The decision itself is not announced again: nothing else reacts to a resend.
     *
     * @return empty when the deal has no decision mail to resend
     */
    @Transactional
    public Optional<DecisionMailRequest> resendLatest(long dealId, String dedupKey) {
        Optional<MailOutbox> latest = outbox.find("dealId = ?1 and kind = ?2 order by id desc", dealId, KIND)
                .firstResultOptional();
        return latest.map(last -> store(dealId, last.decision, last.comment,
                Optional.ofNullable(last.requestedEmail), dedupKey, false));
    }

    /** A deal's decision mail as people see it: status, time, Message-ID and the start of the text. */
    public record SentMail(long outboxId, String decision, String comment, String status, String recipient,
                           String messageId, String subject, String preview, Instant createdAt, Instant sentAt,
                           String lastError) {
    }

    /** Mails in the outbox per status (PENDING, SENT, DONE, FAILED), every status listed. */
    public Map<String, Long> outboxCounts() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (MailOutbox.Status s : MailOutbox.Status.values()) {
            counts.put(s.name(), 0L);
        }
        QuarkusTransaction.requiringNew().call(() -> outbox.getEntityManager()
                        .createQuery("select status, count(*) from MailOutbox group by status", Object[].class)
                        .getResultList())
                .forEach(r -> counts.put(((MailOutbox.Status) r[0]).name(), (Long) r[1]));
        return counts;
    }

    /** Decision mails of a deal, oldest first. */
    public List<SentMail> forDeal(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.list("dealId = ?1 order by id", dealId).stream()
                .map(m -> new SentMail(m.id, m.decision.name(), m.comment, m.status.name(), m.recipient, m.messageId,
                        m.subject, preview(m.body), m.createdAt, m.sentAt, m.lastError)).toList());
    }

    /** When each deal got its first decision mail, for mails requested since {@code since}. */
    public Map<Long, Instant> firstDecisionSince(Instant since) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<Long, Instant> first = new java.util.HashMap<>();
            outbox.list("kind = ?1 and createdAt >= ?2", KIND, since)
                    .forEach(m -> first.merge(m.dealId, m.createdAt, (a, b) -> a.isBefore(b) ? a : b));
            return first;
        });
    }

    private static String preview(String html) {
        if (html == null) {
            return "";
        }
        String text = html.replaceAll("(?s)<style.*?</style>", " ").replaceAll("<[^>]*>", " ")
                .replace("&nbsp;", " ").replace("&laquo;", "«").replace("&raquo;", "»").replace("&quot;", "\"")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replaceAll("\\s+", " ").trim();
        return text.length() <= 300 ? text : text.substring(0, 299) + "…";
    }

    private DecisionMailRequest store(long dealId, Decision decision, String comment, Optional<String> email,
                                      String dedupKey, boolean announce) {
        if (dedupKey == null || dedupKey.isBlank() || dedupKey.length() > 255) {
            throw new IllegalArgumentException("dedupKey must be 1 to 255 characters");
        }
        Optional<String> to = email.map(String::trim).filter(e -> !e.isEmpty());
        if (to.isPresent() && !to.get().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new IllegalArgumentException("email is not an e-mail address: " + to.get());
        }
        String messageId = messageId(dedupKey);
        Instant now = clock.instant();
        int inserted = em.createNativeQuery("""
                        INSERT IGNORE INTO mail_outbox (dedup_key, kind, deal_id, decision, decision_comment,
                            requested_email, message_id, status, attempts, created_at, updated_at, version)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'PENDING', 0, ?8, ?8, 0)""")
                .setParameter(1, dedupKey).setParameter(2, KIND).setParameter(3, dealId)
                .setParameter(4, decision.name()).setParameter(5, comment).setParameter(6, to.orElse(null))
                .setParameter(7, messageId).setParameter(8, Timestamp.from(now))
                .executeUpdate();
        MailOutbox row = outbox.findByKey(KIND, dedupKey).orElseThrow();
        if (inserted == 0) {
            return new DecisionMailRequest(row.id, row.messageId, true);
        }
        jobs.enqueue(JOB_TYPE, dedupKey, new SendJob(row.id), null, null);
        if (announce) {
            decisions.fire(new DealerDecisionRecorded(dealId, decision, comment, dedupKey));
        }
        return new DecisionMailRequest(row.id, messageId, false);
    }

    /** Where the mail requested with this key stands. */
    public Optional<DecisionMailState> find(String dedupKey) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.findByKey(KIND, dedupKey).map(DecisionMailService::state));
    }

    /** The Message-ID a mail with this dedup key carries (stable: a re-send is recognisably the same mail). */
    public String messageId(String dedupKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dedupKey.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(hash, 0, 16) + "@" + config.messageIdDomain() + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- state changes of the sending job, each in its own short transaction (no SMTP or portal call inside)

    Optional<MailOutbox> load(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            MailOutbox row = outbox.findById(id);
            if (row != null) {
                em.detach(row);
            }
            return Optional.ofNullable(row);
        });
    }

    void rendered(long id, String recipient, String language, String subject, String body) {
        update(id, row -> {
            row.recipient = recipient;
            row.language = language;
            row.subject = subject;
            row.body = body;
        });
    }

    void attemptFailed(long id, String error) {
        update(id, row -> {
            row.attempts++;
            row.lastError = truncate(error);
        });
    }

    void sent(long id) {
        update(id, row -> {
            row.attempts++;
            row.status = MailOutbox.Status.SENT;
            row.sentAt = clock.instant();
            row.lastError = null;
        });
    }

    void recorded(long id) {
        update(id, row -> {
            row.status = MailOutbox.Status.DONE;
            row.recordedAt = clock.instant();
        });
    }

    void failed(long id, String error) {
        update(id, row -> {
            if (row.status == MailOutbox.Status.PENDING) {
                row.status = MailOutbox.Status.FAILED;
            }
            row.lastError = truncate(error);
        });
    }

    private void update(long id, Consumer<MailOutbox> change) {
        QuarkusTransaction.requiringNew().run(() -> {
            MailOutbox row = outbox.findById(id);
            change.accept(row);
            row.updatedAt = clock.instant();
        });
    }

    private static DecisionMailState state(MailOutbox row) {
        return new DecisionMailState(row.id, row.dealId, row.status.name(), row.recipient, row.messageId, row.sentAt,
                row.attempts, row.lastError);
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 2000 ? error : error.substring(0, 1997) + "...";
    }
}
