package ru.b24connector.reclamation;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Optional;

/** Dealer intake over REST. */
@ConfigMapping(prefix = "intake")
public interface IntakeConfig {

    /** Accepted dealer tokens, comma-separated; each dealer system gets its own. Unset: intake refused. */
    Optional<List<String>> apiTokens();
}
