package ru.b24connector.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates portal tasks on deals exactly once and follows them. The tracked row is written before the portal call
 * and carries a tag; if the create gets no answer, the task is looked up by that tag before it is sent again.
 */
@ApplicationScoped
public class TaskService {

    /** Fired (synchronously) when a tracked task is seen completed in the portal. */
    public record TaskCompleted(long trackedId, long taskId, Long dealId, String source, String dedupKey) {
    }

    @Inject
    PortalClient portal;

    @Inject
    PortalConfig portalConfig;

    @Inject
    TrackedTaskRepository tasks;

    @Inject
    Clock clock;

    @Inject
    Event<TaskCompleted> completed;

    /** Creates the task unless a task for the same key exists; returns the tracked row (with its portal id). */
    public TrackedTask create(TaskSpec spec) {
        TrackedTask row = reserve(spec);
        if (row.taskId != null) {
            return row;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("TITLE", spec.title());
        fields.put("DESCRIPTION", spec.description() == null ? "" : spec.description());
        fields.put("RESPONSIBLE_ID", spec.responsibleId());
        if (spec.deadline() != null) {
            fields.put("DEADLINE", portalTime(spec.deadline()));
        }
        if (spec.createdBy() != null) {
            fields.put("CREATED_BY", spec.createdBy());
        }
        if (spec.dealId() != null) {
            fields.put("UF_CRM_TASK", List.of("D_" + spec.dealId()));
        }
        fields.put("TAGS", List.of(row.tag));
        JsonNode created = portal.create("tasks.task.add", Map.of("fields", fields), () -> findByTag(row.tag));
        long taskId = created.path("task").path("id").asLong();
        QuarkusTransaction.requiringNew().run(() -> {
            TrackedTask stored = tasks.findById(row.id);
            stored.taskId = taskId;
            stored.status = TrackedTask.Status.OPEN;
            stored.updatedAt = clock.instant();
        });
        row.taskId = taskId;
        row.status = TrackedTask.Status.OPEN;
        Log.infof("Task %d created on deal %s for user %d (%s)", taskId, spec.dealId(), spec.responsibleId(),
                spec.source());
        return row;
    }

    /** Open tracked tasks of a deal. */
    public List<TrackedTask> openForDeal(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.openForDeal(dealId));
    }

    /** Every task the service created on a deal, open or done, oldest first. */
    public List<TrackedTask> allForDeal(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.list("dealId = ?1 order by id", dealId));
    }

    public Optional<TrackedTask> findByKey(String dedupKey) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.findByKey(dedupKey));
    }

    public Optional<TrackedTask> findByTaskId(long taskId) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.findByTaskId(taskId));
    }

    /**
     * Re-reads a tracked task from the portal and records what changed: completion (fires {@link TaskCompleted}),
     * a moved deadline, a new responsible. Unknown tasks are ignored.
     */
    public void refresh(long taskId) {
        Optional<TrackedTask> tracked = findByTaskId(taskId);
        if (tracked.isEmpty()) {
            return;
        }
        JsonNode task = portal.call("tasks.task.get", Map.of("taskId", taskId,
                "select", List.of("ID", "STATUS", "DEADLINE", "RESPONSIBLE_ID", "CLOSED_DATE"))).path("task");
        apply(taskId, task);
    }

    /** Records the portal's view of a task ({@code tasks.task.get}/{@code list} row, camelCase keys). */
    public void apply(long taskId, JsonNode task) {
        TaskCompleted event = QuarkusTransaction.requiringNew().call(() -> {
            TrackedTask row = tasks.findByTaskId(taskId).orElse(null);
            if (row == null) {
                return null;
            }
            String status = task.path("status").asText("");
            if (task.hasNonNull("responsibleId")) {
                row.responsibleId = task.path("responsibleId").asLong(row.responsibleId);
            }
            String deadline = task.path("deadline").asText("");
            row.deadline = deadline.isEmpty() ? null : java.time.OffsetDateTime.parse(deadline).toInstant();
            row.updatedAt = clock.instant();
            // 5 = completed; 4 = completed, awaiting the creator's approval: the responsible has done their part
            if (row.status == TrackedTask.Status.OPEN && ("5".equals(status) || "4".equals(status))) {
                row.status = TrackedTask.Status.COMPLETED;
                row.completedAt = clock.instant();
                return new TaskCompleted(row.id, taskId, row.dealId, row.source, row.dedupKey);
            }
            return null;
        });
        if (event != null) {
            completed.fire(event);
        }
    }

    /**
     * The task is no longer in the portal (deleted): stops following it, so no scan reads or warns about it again.
     *
     * @return true when this call stopped it (false: already stopped, or not tracked)
     */
    public boolean markDeleted(long taskId) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.findByTaskId(taskId)
                .filter(row -> row.status == TrackedTask.Status.OPEN)
                .map(row -> {
                    row.status = TrackedTask.Status.DELETED;
                    row.updatedAt = clock.instant();
                    return true;
                }).orElse(false));
    }

    /** Records a new responsible for the deal's open tracked tasks (after a reassignment in the portal). */
    public void recordResponsible(long taskId, long responsibleId) {
        QuarkusTransaction.requiringNew().run(() -> tasks.findByTaskId(taskId).ifPresent(t -> {
            t.responsibleId = responsibleId;
            t.updatedAt = clock.instant();
        }));
    }

    /** Open tasks past their deadline, oldest deadline first. */
    public List<TrackedTask> overdue(Instant now, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.openPastDeadline(now, limit));
    }

    /**
     * Open tasks past their deadline that have not reached escalation {@code level} yet, oldest deadline first,
     * leaving out those created by {@code exceptSource} (escalation's own tasks must not escalate in a loop).
     */
    public List<TrackedTask> overdueBelowLevel(Instant now, int level, String exceptSource, int limit) {
        return QuarkusTransaction.requiringNew().call(
                () -> tasks.openPastDeadlineBelowLevel(now, level, exceptSource, limit));
    }

    /**
     * Raises the escalation level of a task; false if it was already at or past that level (done elsewhere).
     * Joins the caller's transaction when there is one, so the level and the work it stands for (queued jobs)
     * commit together; a concurrent raise of the same row fails that transaction (optimistic lock).
     */
    public boolean markEscalated(long trackedId, int level) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            TrackedTask row = tasks.findById(trackedId);
            if (row == null || row.escalationLevel >= level || row.status != TrackedTask.Status.OPEN) {
                return false;
            }
            row.escalationLevel = level;
            row.updatedAt = clock.instant();
            return true;
        });
    }

    /** ISO-8601 with the portal's offset, as tasks.task.add expects. */
    public String portalTime(Instant instant) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(portalConfig.timeZone()));
    }

    private TrackedTask reserve(TaskSpec spec) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> tasks.findByKey(spec.dedupKey()).orElseGet(() -> {
                TrackedTask row = new TrackedTask();
                row.dedupKey = spec.dedupKey();
                row.tag = tagFor(spec.dedupKey());
                row.dealId = spec.dealId();
                row.responsibleId = spec.responsibleId();
                row.title = spec.title().length() > 500 ? spec.title().substring(0, 500) : spec.title();
                row.deadline = spec.deadline();
                row.status = TrackedTask.Status.CREATING;
                row.source = spec.source();
                row.createdAt = clock.instant();
                row.updatedAt = row.createdAt;
                tasks.persist(row);
                return row;
            }));
        } catch (PersistenceException e) {
            // a concurrent caller reserved the same key first: use its row
            return QuarkusTransaction.requiringNew().call(() -> tasks.findByKey(spec.dedupKey())).orElseThrow(() -> e);
        }
    }

    private Optional<JsonNode> findByTag(String tag) {
        JsonNode found = portal.call("tasks.task.list", Map.of("filter", Map.of("TAG", tag),
                "select", List.of("ID", "TITLE")));
        for (JsonNode task : PortalClient.itemsOf(found)) {
            return Optional.of(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().set("task", task));
        }
        return Optional.empty();
    }

    /** Short, stable, portal-safe tag for a dedup key. */
    static String tagFor(String dedupKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dedupKey.getBytes(StandardCharsets.UTF_8));
            return "b24c-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
