package ru.b24connector.process;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.util.Optional;

/** Which process file drives the stage rules. */
@ConfigMapping(prefix = "process")
public interface ProcessConfig {

    /** Path of the process file (YAML); unset: the shipped reclamation process (process A). */
    Optional<Path> file();
}
