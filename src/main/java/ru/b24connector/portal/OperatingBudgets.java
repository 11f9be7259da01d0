package ru.b24connector.portal;

import ru.b24connector.portal.BudgetStore.State;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The portal's per-method execution-time budgets as the portal last reported them, with the calls in flight, and
 * when the next call of a method may go; kept in a {@link BudgetStore} (this replica's memory, or the database for
 * all replicas). Pure bookkeeping on a given clock (no sleeping), so the pacing can be tested without waiting.
 * <p>
 * Per method: the {@code operating} seconds the portal last reported, its {@code operating_reset_at}, the learned
 * cost of one command (its reported {@code duration}) and the cost of calls sent but not answered yet. A method
 * spends freely up to the burst share of its budget; above it, the rest up to the safety share is spread evenly
 * until the reset, so a tight budget is used steadily instead of being spent and then waited for. A method whose
 * state is unknown, or whose reset has passed without a fresh answer, gets one call at a time until an answer
 * tells where it stands.
 */
final class OperatingBudgets {

    /** Sums of reported seconds carry rounding errors; a budget filled exactly is not over. */
    private static final double EPSILON = 1e-6;
    /** While a probe is out, how soon the others look again. */
    static final long PROBE_WAIT_MILLIS = 200;

    private final double limitSeconds;
    /** Seconds per method the client spends at most (the safety share of the budget). */
    private final double cap;
    /** Seconds per method spent without pacing (the burst share of the budget). */
    private final double burst;
    /**
     * How long a reservation counts as in flight at most: a call waits for its slot in the rate limiter, then for
     * its answer and retries; one that was never settled (its replica died) stops counting after this.
     */
    static final long IN_FLIGHT_MILLIS = 5 * 60_000;
    private final BudgetStore store;
    /** Milliseconds past the reported reset before a method waiting for it is called again. */
    private final long slack;
    /** The portal's window: a reset is at most this far away (for answers that report none). */
    static final long WINDOW_MILLIS = 600_000;

    /** The outcome of {@link #reserve}: wait this long, then send (reserved) or ask again (not reserved). */
    record Grant(long waitMillis, boolean reserved, Map<String, Double> costs, Map<String, Boolean> probes) {
        static final Grant NOW = new Grant(0, true, Map.of(), Map.of());
    }

    OperatingBudgets(double limitSeconds, double safetyShare, double burstShare) {
        this(limitSeconds, safetyShare, burstShare, new BudgetStore.InMemory());
    }

    OperatingBudgets(double limitSeconds, double safetyShare, double burstShare, BudgetStore store) {
        this(limitSeconds, safetyShare, burstShare, 0, store);
    }

    /**
     * @param resetSlackMillis how long after a reported {@code operating_reset_at} a method that waits for its reset
     *                         is open again (the portal reports the reset as a whole second, maybe rounded down)
     */
    OperatingBudgets(double limitSeconds, double safetyShare, double burstShare, long resetSlackMillis,
                     BudgetStore store) {
        this.slack = Math.max(0, resetSlackMillis);
        this.store = store;
        this.limitSeconds = limitSeconds;
        this.cap = limitSeconds * safetyShare;
        this.burst = limitSeconds * Math.min(burstShare, safetyShare);
    }

    /**
     * Asks to send commands ({@code method -> count}). Reserved grants count as spent until {@link #settle}; a grant
     * that is not reserved must be asked for again after its wait.
     */
    Grant reserve(Map<String, Integer> commands, long nowMillis) {
        return reserve(commands, nowMillis, Integer.MAX_VALUE);
    }

    /**
     * As {@link #reserve(Map, long)}; the probe after a reset may carry at most {@code probeLimit} commands of a
     * method, so a group sized on the figures before the reset cannot overshoot as the probe.
     */
    Grant reserve(Map<String, Integer> commands, long nowMillis, int probeLimit) {
        return store.update(commands.keySet(), states -> reserve(states, commands, nowMillis, probeLimit));
    }

    private Grant reserve(Map<String, State> states, Map<String, Integer> commands, long nowMillis, int probeLimit) {
        states.values().forEach(s -> expire(s, nowMillis));
        long at = nowMillis;
        Map<String, Double> needs = new LinkedHashMap<>();
        Map<String, Boolean> probes = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : commands.entrySet()) {
            State s = states.get(e.getKey());
            double need = e.getValue() * (Double.isNaN(s.cost) ? 0 : s.cost);
            double spent = s.operating + s.inFlight;
            long open = opensAt(s);
            if (s.blocked && nowMillis < open) {
                return new Grant(open - nowMillis, false, Map.of(), Map.of());
            }
            boolean stale = !s.known || nowMillis >= open;
            // a call bigger than the cap could never fit under it: it goes alone, once nothing else is spent
            boolean fits = spent + need <= cap + EPSILON || need > cap && spent <= EPSILON;
            if (stale && !fits || !s.known) {
                // the portal has not told where this method stands (yet, or since its reset): one call finds out
                // after a reset, a call sized on the figures before it could overshoot: only one item may probe
                if (s.probing || s.known && e.getValue() > probeLimit) {
                    return new Grant(PROBE_WAIT_MILLIS, false, Map.of(), Map.of());
                }
                probes.put(e.getKey(), true);
            } else if (!fits) {
                return new Grant(open - nowMillis, false, Map.of(), Map.of());
            } else if (!stale && spent + need > burst + EPSILON) {
                at = Math.max(at, s.nextAtMillis);
            }
            needs.put(e.getKey(), need);
        }
        for (Map.Entry<String, Double> e : needs.entrySet()) {
            State s = states.get(e.getKey());
            double need = e.getValue();
            double spent = s.operating + s.inFlight;
            if (probes.containsKey(e.getKey())) {
                s.probing = true;
                s.probingUntilMillis = at + IN_FLIGHT_MILLIS;
            } else if (s.known && at < s.resetAtMillis && spent + need > burst + EPSILON) {
                // spread what is left until the reset: this call's share of it moves the next call back
                double left = Math.max(cap - spent, need);
                long spacing = Math.round((s.resetAtMillis - at) * (need / left));
                s.nextAtMillis = Math.max(s.nextAtMillis, at) + spacing;
            }
            s.inFlight += need;
            s.inFlightUntilMillis = Math.max(s.inFlightUntilMillis, at + IN_FLIGHT_MILLIS);
        }
        return new Grant(at - nowMillis, true, needs, probes);
    }

    /**
     * When a method waiting for its reset may be called again: the reported {@code operating_reset_at} plus the slack,
     * so that a portal that rounds the reset down does not refuse the first call after it.
     */
    private long opensAt(State s) {
        return s.resetAtMillis + slack;
    }

    /** Reservations of calls never settled (a replica died with them) stop counting after a while. */
    private static void expire(State s, long nowMillis) {
        if (s.inFlight > 0 && nowMillis > s.inFlightUntilMillis) {
            s.inFlight = 0;
        }
        if (s.probing && nowMillis > s.probingUntilMillis) {
            s.probing = false;
        }
    }

    /**
     * The room a call of {@code method} has now for items of {@code commandsPerItem} commands each (see
     * {@link BudgetRoom}). After a reset the portal's window has only partly emptied and nobody knows how much: then
     * one probe of one item may go, so it cannot overshoot by more than one item.
     */
    BudgetRoom room(String method, int commandsPerItem, long nowMillis) {
        return room(List.of(method), commandsPerItem, nowMillis);
    }

    /** The room the tightest of {@code methods} leaves (a group needs room in every method it calls), in one update. */
    BudgetRoom room(List<String> methods, int commandsPerItem, long nowMillis) {
        // a question, not a change: nothing is locked or written (expired reservations are left for the next update)
        return store.read(methods, states -> {
            BudgetRoom room = BudgetRoom.UNLIMITED;
            for (String method : methods) {
                room = room.and(room(states.get(method), commandsPerItem, nowMillis));
            }
            return room;
        });
    }

    private BudgetRoom room(State s, int commandsPerItem, long nowMillis) {
        expire(s, nowMillis);
        if (!s.known || Double.isNaN(s.cost) || s.cost <= EPSILON) {
            return BudgetRoom.UNLIMITED;
        }
        double left = cap - s.operating - s.inFlight;
        int items = Math.max(0, (int) Math.floor((left + EPSILON) / (s.cost * commandsPerItem)));
        if (items > 0) {
            return new BudgetRoom(items, false, nowMillis);
        }
        if (nowMillis >= opensAt(s)) {
            // one probe at a time: the others look again when its answer is likely in
            return s.probing ? new BudgetRoom(0, false, nowMillis + PROBE_WAIT_MILLIS) : new BudgetRoom(1, true, nowMillis);
        }
        return new BudgetRoom(0, false, opensAt(s));
    }

    /** The reserved call was answered (or failed): its cost is no longer in flight. */
    void settle(Grant grant) {
        if (grant.costs().isEmpty()) {
            return;
        }
        store.update(grant.costs().keySet(), states -> {
            grant.costs().forEach((method, cost) -> {
                State s = states.get(method);
                s.inFlight = Math.max(0, s.inFlight - cost);
                if (grant.probes().containsKey(method)) {
                    s.probing = false;
                }
            });
            return null;
        });
    }

    /**
     * What one answer reported for one method (see {@link #record(List, long)}); {@code operating} NaN when the
     * answer had none (then {@code duration} counts instead).
     */
    record Report(String method, double operating, long resetAtEpochSecond, double duration) {
    }

    /**
     * Records what the portal reported with an answer of {@code method}: {@code operating} seconds spent in the
     * window, the reset, and the call's {@code duration} (NaN when not reported). An answer older than the one
     * recorded (concurrent calls finish out of order) does not set the state back.
     */
    void record(String method, double operating, long resetAtEpochSecond, double duration, long nowMillis) {
        record(List.of(new Report(method, operating, resetAtEpochSecond, duration)), nowMillis);
    }

    /** Records what one answer reported for each of its commands, in one update. */
    void record(List<Report> reports, long nowMillis) {
        if (reports.isEmpty()) {
            return;
        }
        store.update(reports.stream().map(Report::method).distinct().toList(), states -> {
            reports.forEach(r -> record(states.get(r.method()), r.operating(), r.resetAtEpochSecond(), r.duration(),
                    nowMillis));
            return null;
        });
    }

    private static void record(State s, double operating, long resetAtEpochSecond, double duration, long nowMillis) {
        if (Double.isNaN(operating)) {
            recordDuration(s, duration, nowMillis);
            return;
        }
        long resetAt = resetAtEpochSecond * 1000;
        if (!s.known || resetAt > s.resetAtMillis || resetAt == s.resetAtMillis && operating >= s.operating
                || nowMillis >= s.resetAtMillis) {
            s.operating = operating;
            s.resetAtMillis = resetAt;
            s.known = true;
            s.blocked = false;
        }
        if (!Double.isNaN(duration) && duration >= 0) {
            s.cost = Double.isNaN(s.cost) ? duration : 0.7 * s.cost + 0.3 * duration;
        }
    }

    /**
     * An answer without {@code operating} (a batch command's {@code result_time} as batch.md shows it): its
     * {@code duration} is what it added to the method's window, as far as this service can tell. Added to what is
     * known; with nothing known (or the known reset passed), a new window of the portal's length starts now.
     */
    private static void recordDuration(State s, double duration, long nowMillis) {
        if (Double.isNaN(duration) || duration < 0) {
            return;
        }
        if (s.known && nowMillis < s.resetAtMillis) {
            s.operating += duration;
        } else {
            s.operating = duration;
            s.resetAtMillis = nowMillis + WINDOW_MILLIS;
            s.known = true;
            s.blocked = false;
        }
        s.cost = Double.isNaN(s.cost) ? duration : 0.7 * s.cost + 0.3 * duration;
    }

    /**
     * {@code OPERATION_TIME_LIMIT}: no call of the method before its reset. Without a known reset, a minute, the
     * granularity of the portal's window; when the known one has just passed, the next part of the window drops out
     * soon: a few seconds.
     *
     * @return when the method may be called again (epoch millis)
     */
    long blocked(String method, long nowMillis) {
        return store.update(List.of(method), states -> blocked(states.get(method), nowMillis));
    }

    private long blocked(State s, long nowMillis) {
        if (!s.known) {
            s.resetAtMillis = nowMillis + 60_000;
        } else if (s.resetAtMillis <= nowMillis) {
            s.resetAtMillis = nowMillis + 5_000;
        }
        s.operating = Math.max(s.operating, limitSeconds);
        s.blocked = true;
        s.known = true;
        return opensAt(s);
    }

    /** Every method's budget as known now, the most spent first. */
    List<PortalLoad.Budget> views(long nowMillis) {
        return store.readAll(states -> states.entrySet().stream().filter(e -> e.getValue().known).map(e -> {
            State s = e.getValue();
            expire(s, nowMillis);
            boolean current = nowMillis < s.resetAtMillis;
            return new PortalLoad.Budget(e.getKey(), current ? s.operating + s.inFlight : s.inFlight, cap,
                    limitSeconds, java.time.Instant.ofEpochMilli(s.resetAtMillis), s.blocked && current);
        }).sorted(java.util.Comparator.comparingDouble(PortalLoad.Budget::share).reversed()
                .thenComparing(PortalLoad.Budget::method)).toList());
    }

    void clear() {
        store.clear();
    }
}
