package ru.b24connector.escalation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Overdue-task escalation. The levels are set here for now; the process file may later override them through
 * {@link EscalationPolicy#override}.
 */
@ConfigMapping(prefix = "escalation")
public interface EscalationConfig {

    /** How often to scan for overdue tasks: a duration such as {@code 5m}, or {@code off}. */
    @WithDefault("5m")
    @Pattern(regexp = "off|disabled|\\d+[smhd]|P.*", message = "must be a duration such as 5m, or off")
    String every();

    /** Portal user id who gets escalations when a responsible's department has no head. */
    Optional<@Positive(message = "must be a portal user id") Long> supervisorId();

    /**
     * Escalation levels in order: {@code escalation.levels[0].after=0h},
     * {@code escalation.levels[0].actions=notify-responsible,notify-supervisor}, ... Level n is carried out once,
     * {@code after} past the task's deadline.
     */
    @NotEmpty(message = "needs at least one level")
    List<Level> levels();

    /** Deadline of the task the supervisor gets at a {@code supervisor-task} level, counted from its creation. */
    @WithDefault("24h")
    Duration supervisorTaskDeadline();

    /** Most overdue tasks one scan checks (the oldest deadlines first); the rest wait for the next scan. */
    @WithDefault("500")
    @Min(value = 1, message = "must be at least 1")
    @Max(value = 2500, message = "must be at most 2500 (50 batch commands of 50 tasks)")
    int scanLimit();

    /** One escalation level. */
    interface Level {
        /** How long after the task's deadline this level is due ({@code 0h}: at the deadline). */
        Duration after();

        /** What happens: {@code notify-responsible}, {@code notify-supervisor}, {@code supervisor-task}, {@code deal-comment}. */
        List<EscalationPolicy.Action> actions();
    }
}
