package ru.b24connector.portal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the per-method budget states live: in this replica's memory, or in the database for every replica
 * ({@link SharedBudgetStore}). An update sees and changes the states of the methods it names atomically: nobody
 * else reads or changes them in between.
 */
interface BudgetStore {

    /** What is known of one method's budget (see {@link OperatingBudgets}). */
    final class State {
        double operating;
        long resetAtMillis;
        double cost = Double.NaN;
        double inFlight;
        /** Calls in flight that were never settled (their replica died) count until then. */
        long inFlightUntilMillis;
        long nextAtMillis;
        boolean blocked;
        boolean probing;
        long probingUntilMillis;
        boolean known;

        State copy() {
            State c = new State();
            c.operating = operating;
            c.resetAtMillis = resetAtMillis;
            c.cost = cost;
            c.inFlight = inFlight;
            c.inFlightUntilMillis = inFlightUntilMillis;
            c.nextAtMillis = nextAtMillis;
            c.blocked = blocked;
            c.probing = probing;
            c.probingUntilMillis = probingUntilMillis;
            c.known = known;
            return c;
        }
    }

    /** Runs {@code op} on the states of {@code methods} (a fresh state for a method never seen), atomically. */
    <T> T update(Collection<String> methods, Function<Map<String, State>, T> op);

    /**
     * Runs {@code op} on copies of the states of {@code methods} without locking or keeping what it changes: for
     * questions such as "how much room is left", which every job run asks.
     */
    <T> T read(Collection<String> methods, Function<Map<String, State>, T> op);

    /** Runs {@code op} on copies of every state known, without locking (what the operations console shows). */
    <T> T readAll(Function<Map<String, State>, T> op);

    /** Forgets every state. */
    void clear();

    /** One replica's own states. */
    final class InMemory implements BudgetStore {
        private final Map<String, State> states = new HashMap<>();

        @Override
        public synchronized <T> T update(Collection<String> methods, Function<Map<String, State>, T> op) {
            Map<String, State> some = new HashMap<>();
            for (String method : methods) {
                some.put(method, states.computeIfAbsent(method, k -> new State()));
            }
            return op.apply(some);
        }

        @Override
        public synchronized <T> T read(Collection<String> methods, Function<Map<String, State>, T> op) {
            Map<String, State> copies = new HashMap<>();
            for (String method : methods) {
                copies.put(method, states.containsKey(method) ? states.get(method).copy() : new State());
            }
            return op.apply(copies);
        }

        @Override
        public synchronized <T> T readAll(Function<Map<String, State>, T> op) {
            Map<String, State> copies = new HashMap<>();
            states.forEach((method, state) -> copies.put(method, state.copy()));
            return op.apply(copies);
        }

        @Override
        public synchronized void clear() {
            states.clear();
        }
    }
}
