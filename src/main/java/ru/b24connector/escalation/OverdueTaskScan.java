package ru.b24connector.escalation;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TrackedTask;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One pass of overdue escalation: takes the open tracked tasks past their deadline, re-reads them from the portal
 * in batches (a completed task or a moved deadline stops escalating), and carries out every level that is due.
 * A level is recorded on the task and its actions are queued as jobs in one transaction, so each level happens
 * once per task across restarts and replicas, and a crash after the commit still gets the actions done.
 */
@ApplicationScoped
public class OverdueTaskScan {

    /** What one pass did. */
    public record Result(int checked, int stopped, int levelsReached) {
    }

    private static final List<String> SELECT = List.of("ID", "STATUS", "DEADLINE", "RESPONSIBLE_ID");

    @Inject
    TaskService tasks;

    @Inject
    PortalClient portal;

    @Inject
    EscalationPolicy policy;

    @Inject
    SupervisorLookup supervisors;

    @Inject
    JobQueue jobs;

    @Inject
    EscalationConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    /** Runs one pass; the scheduler calls it every {@code ESCALATION_EVERY}, tests call it directly. */
    public Result runOnce() {
        Instant now = clock.instant();
        List<TrackedTask> candidates = tasks.overdueBelowLevel(now, policy.maxLevel(),
                EscalationActionHandler.TASK_SOURCE, config.scanLimit()).stream()
                .filter(t -> t.taskId != null).toList();
        if (candidates.isEmpty()) {
            return new Result(0, 0, 0);
        }
        Map<Long, JsonNode> inPortal = portalState(candidates);
        List<TrackedTask> still = new ArrayList<>();
        int stopped = 0;
        for (TrackedTask task : candidates) {
            JsonNode state = inPortal.get(task.taskId);
            if (state == null) {
                // every command of the read succeeded, so a task missing from it was deleted in the portal
                if (tasks.markDeleted(task.taskId)) {
                    Log.infof("Escalation: task %d on deal %s was deleted in the portal; skipped, no longer tracked",
                            task.taskId, task.dealId);
                }
                stopped++;
                continue;
            }
            try {
                tasks.apply(task.taskId, state);
            } catch (RuntimeException e) {
                // another replica recorded the same task at the same moment (optimistic lock): it escalates it
                Log.warnf("Escalation: task %d not updated from the portal, skipped this pass: %s", task.taskId,
                        e.getMessage());
                continue;
            }
            Optional<TrackedTask> fresh = tasks.findByTaskId(task.taskId);
            if (fresh.isPresent() && fresh.get().status == TrackedTask.Status.OPEN
                    && !policy.due(fresh.get().escalationLevel, fresh.get().deadline, now).isEmpty()) {
                still.add(fresh.get());
            } else {
                stopped++;
            }
        }
        Set<Long> needSupervisor = still.stream()
                .filter(t -> policy.due(t.escalationLevel, t.deadline, now).stream()
                        .anyMatch(EscalationPolicy.Level::needsSupervisor))
                .map(t -> t.responsibleId).collect(Collectors.toSet());
        Map<Long, Optional<Long>> supervisorOf = needSupervisor.isEmpty() ? Map.of() : supervisors.resolve(needSupervisor);
        int reached = 0;
        for (TrackedTask task : still) {
            for (EscalationPolicy.Level level : policy.due(task.escalationLevel, task.deadline, now)) {
                try {
                    if (escalate(task, level, supervisorOf.getOrDefault(task.responsibleId, Optional.empty()))) {
                        reached++;
                    }
                } catch (RuntimeException e) {
                    // another replica raised the same level at the same moment, or the database hiccupped:
                    // nothing was committed for this task, the next pass looks at it again
                    Log.warnf("Escalation of task %d to level %d not recorded: %s", task.taskId, level.number(),
                            e.getMessage());
                    break;
                }
            }
        }
        Log.infof("Escalation scan: %d overdue checked, %d stopped, %d level(s) reached", candidates.size(),
                stopped, reached);
        return new Result(candidates.size(), stopped, reached);
    }

    /** Records the level and queues its actions in one transaction; false when it was already reached. */
    private boolean escalate(TrackedTask task, EscalationPolicy.Level level, Optional<Long> supervisor) {
        List<EscalationStep> steps = new ArrayList<>();
        for (EscalationPolicy.Action action : EscalationPolicy.Action.values()) {
            if (!level.actions().contains(action)) {
                continue;
            }
            if (action.needsSupervisor() && supervisor.isEmpty()) {
                Log.warnf("Escalation of task %d, level %d: no supervisor for user %d (set ESCALATION_SUPERVISOR_ID);"
                        + " %s skipped", task.taskId, level.number(), task.responsibleId, action);
                continue;
            }
            if (action == EscalationPolicy.Action.NOTIFY_SUPERVISOR && supervisor.get() == task.responsibleId
                    && level.actions().contains(EscalationPolicy.Action.NOTIFY_RESPONSIBLE)) {
                continue; // the responsible is their own supervisor and hears about it once
            }
            steps.add(new EscalationStep(action, task.id, level.number(), task.taskId, task.dealId, task.title,
                    task.responsibleId, supervisor.orElse(null), task.deadline));
        }
        boolean marked = QuarkusTransaction.requiringNew().call(() -> {
            if (!tasks.markEscalated(task.id, level.number())) {
                return false;
            }
            steps.forEach(step -> jobs.enqueue(EscalationStep.JOB_TYPE, step.dedupKey(), step, null, null));
            return true;
        });
        if (marked) {
            task.escalationLevel = level.number();
            metrics.counter("connector.escalation.levels", "level", String.valueOf(level.number())).increment();
            Log.infof("Task %d on deal %s escalated to level %d (%s)", task.taskId, task.dealId, level.number(),
                    steps.stream().map(s -> s.action().name()).collect(Collectors.joining(", ")));
        }
        return marked;
    }

    /** The portal's view of the tasks, by task id: {@code tasks.task.list} by ID, 50 ids per batch command. */
    private Map<Long, JsonNode> portalState(List<TrackedTask> candidates) {
        PortalBatch batch = PortalBatch.create();
        List<Long> ids = candidates.stream().map(t -> t.taskId).distinct().toList();
        for (int from = 0, n = 0; from < ids.size(); from += PortalClient.PAGE, n++) {
            List<Long> chunk = ids.subList(from, Math.min(from + PortalClient.PAGE, ids.size()));
            batch.add("tasks" + n, "tasks.task.list", Map.of("filter", Map.of("ID", chunk), "select", SELECT));
        }
        BatchResult result = portal.batch(batch);
        Map<Long, JsonNode> state = new HashMap<>();
        for (PortalBatch.Command command : batch.commands()) {
            for (JsonNode task : PortalClient.itemsOf(result.result(command.key()))) {
                state.put(task.path("id").asLong(), task);
            }
        }
        return state;
    }
}
