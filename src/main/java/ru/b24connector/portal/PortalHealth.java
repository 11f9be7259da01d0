package ru.b24connector.portal;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** The portal's state as the last real call saw it; probes read this instead of calling the portal. */
@ApplicationScoped
public class PortalHealth {

    /** Outcome of the most recent call. */
    public record State(boolean reachable, Instant at, String lastError) {
    }

    private final AtomicReference<State> state = new AtomicReference<>();

    void reached(Instant at) {
        state.set(new State(true, at, null));
    }

    void failed(Instant at, String error) {
        state.set(new State(false, at, error));
    }

    /** Null until the first call. */
    public State state() {
        return state.get();
    }
}
