package ru.b24connector.escalation;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The escalation levels: what happens how long after a task's deadline. Read from {@link EscalationConfig} at
 * start; the process file (built in {@code process/}) may replace them with {@link #override}.
 */
@ApplicationScoped
public class EscalationPolicy {

    /** What a level does. */
    public enum Action {
        /** A system notification to the task's responsible. */
        NOTIFY_RESPONSIBLE,
        /** A system notification to the responsible's supervisor. */
        NOTIFY_SUPERVISOR,
        /** A task for the supervisor, linked to the deal. */
        SUPERVISOR_TASK,
        /** A comment on the deal's timeline. */
        DEAL_COMMENT;

        boolean needsSupervisor() {
            return this == NOTIFY_SUPERVISOR || this == SUPERVISOR_TASK;
        }
    }

    /**
     * One level.
     *
     * @param number  1, 2, ...: the value recorded on the tracked task once the level is carried out
     * @param after   how long after the deadline it is due
     * @param actions what it does
     */
    public record Level(int number, Duration after, Set<Action> actions) {
        public boolean needsSupervisor() {
            return actions.stream().anyMatch(Action::needsSupervisor);
        }
    }

    @Inject
    EscalationConfig config;

    private volatile List<Level> levels;

    /** The levels in order (level 1 first). */
    public List<Level> levels() {
        List<Level> current = levels;
        if (current == null) {
            current = number(config.levels().stream()
                    .map(l -> new Level(0, l.after(), l.actions().isEmpty() ? Set.of() : EnumSet.copyOf(l.actions())))
                    .toList());
            levels = current;
        }
        return current;
    }

    /** Replaces the levels (the process file's escalation section); numbered by their order of {@code after}. */
    public void override(List<Level> replacement) {
        levels = number(replacement);
        Log.infof("Escalation levels replaced: %s", levels);
    }

    /** The highest level number. */
    public int maxLevel() {
        return levels().size();
    }

    /** Levels above {@code reached} that are due for a task with this deadline at {@code now}, lowest first. */
    public List<Level> due(int reached, Instant deadline, Instant now) {
        if (deadline == null || !deadline.isBefore(now)) {
            return List.of();
        }
        return levels().stream()
                .filter(l -> l.number() > reached && !deadline.plus(l.after()).isAfter(now))
                .toList();
    }

    private static List<Level> number(List<Level> unnumbered) {
        List<Level> sorted = new ArrayList<>(unnumbered);
        sorted.sort(Comparator.comparing(Level::after));
        List<Level> numbered = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Level l = sorted.get(i);
            if (l.after().isNegative()) {
                throw new IllegalArgumentException("escalation level 'after' must not be negative: " + l.after());
            }
            numbered.add(new Level(i + 1, l.after(), Set.copyOf(l.actions())));
        }
        return List.copyOf(numbered);
    }
}
