package ru.b24connector.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Read-only questions about the queue for people (the operations console) and metrics; changes go through {@link JobQueue}. */
@ApplicationScoped
public class JobQueries {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** Newest first, with a status and/or a type (null: any). */
    @Transactional
    public List<Job> list(Job.Status status, String type, int limit) {
        return em.createQuery("from Job where (:status is null or status = :status) and (:type is null or type = :type)"
                        + " order by id desc", Job.class)
                .setParameter("status", status).setParameter("type", type).setMaxResults(limit).getResultList();
    }

    /** The job types there are jobs of, and how many are dead per type. */
    @Transactional
    public java.util.Map<String, Long> deadByType() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        em.createQuery("select type, sum(case when status = :dead then 1 else 0 end) from Job group by type",
                        Object[].class).setParameter("dead", Job.Status.DEAD).getResultList()
                .forEach(r -> out.put((String) r[0], ((Number) r[1]).longValue()));
        return out;
    }

    /** When the oldest due queued job became due; empty when none waits. */
    @Transactional
    public Optional<Instant> oldestDueSince() {
        return Optional.ofNullable(em.createQuery("select min(runAt) from Job where status = :queued and runAt <= :now",
                        Instant.class).setParameter("queued", Job.Status.QUEUED).setParameter("now", clock.instant())
                .getSingleResult());
    }
}
