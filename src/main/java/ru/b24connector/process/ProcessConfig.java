package ru.b24connector.process;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Which process file drives the stage rules, and how often the engine looks for what events missed. */
@ConfigMapping(prefix = "process")
public interface ProcessConfig {

    /** Path of the process file (YAML); unset: the shipped reclamation process (process A). */
    Optional<Path> file();

    /**
     * How often to scan for deals modified without an event reaching the service, and for time-in-stage moves:
     * a duration such as {@code 5m}, or {@code off}.
     */
    @WithDefault("5m")
    @Pattern(regexp = "off|disabled|\\d+[smhd]|P.*", message = "must be a duration such as 5m, or off")
    String scanEvery();

    /** How far back the very first scan looks for modified deals (later scans continue where the last stopped). */
    @WithDefault("1h")
    Duration scanLookback();
}
