package ru.b24connector.outage;

import java.util.Optional;

/**
 * Implemented by a feature's exception that can say its neighbour is away (the portal's "unavailable" answer):
 * {@link Outages} reads it without knowing the feature.
 */
public interface OutageSignal {

    /** The dependency that is down, when this failure means one is; empty when it is the work's own failure. */
    Optional<Dependency> outage();
}
