package ru.b24connector.outage;

import java.util.Optional;

/**
 * A feature's cheap check that its neighbour answers (a CDI bean per dependency): {@link DependencyProbes} calls it
 * while jobs wait for that neighbour, so {@code outage} needs to know no feature.
 */
public interface DependencyProbe {

    /** The neighbour this probe checks. */
    Dependency dependency();

    /** Empty when the neighbour answers at all (a refusal is an answer), else why not. */
    Optional<String> probe();
}
