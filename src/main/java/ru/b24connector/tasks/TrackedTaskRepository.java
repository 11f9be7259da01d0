package ru.b24connector.tasks;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Queries over tracked tasks; other features go through {@link TaskService}. */
@ApplicationScoped
public class TrackedTaskRepository implements PanacheRepository<TrackedTask> {

    public Optional<TrackedTask> findByKey(String dedupKey) {
        return find("dedupKey", dedupKey).firstResultOptional();
    }

    public Optional<TrackedTask> findByTaskId(long taskId) {
        return find("taskId", taskId).firstResultOptional();
    }

    public List<TrackedTask> openForDeal(long dealId) {
        return list("dealId = ?1 and status = ?2 order by id", dealId, TrackedTask.Status.OPEN);
    }

    public List<TrackedTask> openPastDeadline(Instant now, int limit) {
        return find("status = ?1 and deadline < ?2 order by deadline", TrackedTask.Status.OPEN, now)
                .page(0, limit).list();
    }

    public List<TrackedTask> openPastDeadlineBelowLevel(Instant now, int level, String exceptSource, int limit) {
        return find("status = ?1 and deadline < ?2 and escalationLevel < ?3 and source <> ?4 order by deadline",
                TrackedTask.Status.OPEN, now, level, exceptSource).page(0, limit).list();
    }
}
