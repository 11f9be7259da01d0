package ru.b24connector.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

/**
 * Stores what arrives from outside, and the job that will process it, in one transaction, before the sender gets
 * its answer. A second delivery with the same key stores nothing and starts nothing.
 */
@ApplicationScoped
public class Inbox {

    /** The outcome of {@link #accept}: the inbox row, and whether it had arrived before. */
    public record Accepted(long inboxId, boolean duplicate) {
    }

    @Inject
    EntityManager em;

    @Inject
    JobQueue jobs;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @Transactional
    public Accepted accept(String source, String dedupKey, String kind, String body, String jobType) {
        int inserted = em.createNativeQuery("""
                        INSERT IGNORE INTO inbox_message (source, dedup_key, kind, body, received_at)
                        VALUES (?1, ?2, ?3, ?4, ?5)""")
                .setParameter(1, source).setParameter(2, dedupKey).setParameter(3, kind).setParameter(4, body)
                .setParameter(5, Timestamp.from(clock.instant()))
                .executeUpdate();
        if (inserted == 0) {
            metrics.counter("connector.inbox.duplicates", "source", source).increment();
            return new Accepted(findId(source, dedupKey).orElseThrow(), true);
        }
        long id = ((Number) em.createNativeQuery("SELECT LAST_INSERT_ID()").getSingleResult()).longValue();
        jobs.enqueue(jobType, jobKey(source, id), body, null, id);
        metrics.counter("connector.inbox.accepted", "source", source, "kind", kind).increment();
        return new Accepted(id, false);
    }

    @Transactional
    public Optional<InboxMessage> find(long id) {
        return Optional.ofNullable(em.find(InboxMessage.class, id));
    }

    /** The dedup key of the job that processes inbox row {@code inboxId} of {@code source}. */
    public static String jobKey(String source, long inboxId) {
        return source + ":" + inboxId;
    }

    @Transactional
    public Optional<Long> findId(String source, String dedupKey) {
        return em.createQuery("select id from InboxMessage where source = :s and dedupKey = :k", Long.class)
                .setParameter("s", source).setParameter("k", dedupKey).getResultStream().findFirst();
    }

    /** How many messages from {@code source} are stored (for tests and the admin API). */
    @Transactional
    public long count(String source) {
        return em.createQuery("select count(*) from InboxMessage where source = :s", Long.class)
                .setParameter("s", source).getSingleResult();
    }
}
