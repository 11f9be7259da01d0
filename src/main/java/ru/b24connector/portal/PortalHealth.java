package ru.b24connector.portal;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The portal's state as the last real call saw it; probes read this instead of calling the portal. */
@ApplicationScoped
public class PortalHealth {

    /** Outcome of the most recent call. */
    public record State(boolean reachable, Instant at, String lastError) {
    }

    /**
     * Bitrix24 support blocks this application's REST API ({@code OVERLOAD_LIMIT}) since {@code since}; the next
     * probe may go at {@code nextProbe}.
     */
    public record Block(Instant since, Instant nextProbe) {
    }

    private final AtomicReference<State> state = new AtomicReference<>();
    private final AtomicReference<Block> block = new AtomicReference<>();

    void reached(Instant at) {
        state.set(new State(true, at, null));
    }

    void failed(Instant at, String error) {
        state.set(new State(false, at, error));
    }

    /**
     * The portal answered {@code OVERLOAD_LIMIT} at {@code at}: blocked, next probe at {@code nextProbe}.
     *
     * @return true when this starts the block (it was not blocked before): the caller says so once
     */
    boolean blocked(Instant at, Instant nextProbe) {
        failed(at, "OVERLOAD_LIMIT");
        Block before = block.getAndUpdate(b -> new Block(b == null ? at : b.since(), nextProbe));
        return before == null;
    }

    /**
     * An answer without {@code OVERLOAD_LIMIT} came: the block, if there was one, is over.
     *
     * @return the block that ended, if this ended one
     */
    Optional<Block> unblocked() {
        return Optional.ofNullable(block.getAndSet(null));
    }

    /**
     * While blocked: whether a probe may go now (its time has come); if so, the next one moves {@code every} on, so
     * only one call probes.
     */
    boolean probeDue(Instant now, java.time.Duration every) {
        Block b = block.get();
        if (b == null) {
            return true;
        }
        return !now.isBefore(b.nextProbe()) && block.compareAndSet(b, new Block(b.since(), now.plus(every)));
    }

    /** Forgets the state, as after a restart; for tests. */
    void clear() {
        state.set(null);
        block.set(null);
    }

    /** Null until the first call. */
    public State state() {
        return state.get();
    }

    /** The manual block by Bitrix24 support, while it holds. */
    public Optional<Block> block() {
        return Optional.ofNullable(block.get());
    }
}
