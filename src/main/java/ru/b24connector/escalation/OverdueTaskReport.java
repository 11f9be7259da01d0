package ru.b24connector.escalation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.tasks.TaskService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The overdue tasks as the admin API shows them: who, which deal, how late, which level was reached. */
@ApplicationScoped
public class OverdueTaskReport {

    /**
     * One overdue task.
     *
     * @param lateMinutes   minutes past the deadline
     * @param level         highest escalation level carried out (0 = none yet)
     * @param levels        how many levels there are
     */
    public record OverdueTask(long trackedId, Long taskId, String title, Long dealId, long responsibleId, Instant deadline,
                       long lateMinutes, String late, int level, int levels, String source) {
    }

    private static final int LIMIT = 1000;

    @Inject
    TaskService tasks;

    @Inject
    EscalationPolicy policy;

    @Inject
    Clock clock;

    /** Open tracked tasks past their deadline, the longest overdue first (at most 1000). */
    public List<OverdueTask> overdue() {
        Instant now = clock.instant();
        return tasks.overdue(now, LIMIT).stream().map(t -> {
            Duration late = Duration.between(t.deadline, now);
            return new OverdueTask(t.id, t.taskId, t.title, t.dealId, t.responsibleId, t.deadline, late.toMinutes(),
                    late.withNanos(0).toString(), t.escalationLevel, policy.maxLevel(), t.source);
        }).toList();
    }
}
