package ru.b24connector.escalation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import java.util.Optional;

/** Overdue-task escalation. */
@ConfigMapping(prefix = "escalation")
public interface EscalationConfig {

    /** How often to scan for overdue tasks: a duration such as {@code 5m}, or {@code off}. */
    @WithDefault("5m")
    @Pattern(regexp = "off|disabled|\\d+[smhd]|P.*", message = "must be a duration such as 5m, or off")
    String every();

    /** Portal user id who gets escalations when a responsible's department has no head. */
    Optional<@Positive(message = "must be a portal user id") Long> supervisorId();
}
