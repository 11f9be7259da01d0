package ru.b24connector.portal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The portal's per-method execution-time budgets as this replica last saw them, and when the next call of a method
 * may go. Pure bookkeeping on a given clock (no sleeping), so the pacing can be tested without waiting.
 * <p>
 * Per method: the {@code operating} seconds the portal last reported, its {@code operating_reset_at}, the learned
 * cost of one command (its reported {@code duration}), the cost of calls sent but not answered yet, and this
 * replica's own calls of the last window, so that what drops out of the portal's sliding window is known without
 * asking (what others spent only drops out of the estimate with a fresh answer: the estimate errs high). A method
 * spends freely up to the burst share of its budget; above it, the rest up to the safety share is spread evenly
 * until the next part of the window drops out, so a tight budget is used steadily instead of being spent and then
 * waited for; a call that does not fit waits until enough has dropped out. A method never seen gets one call at a
 * time until an answer tells where it stands.
 */
final class OperatingBudgets {

    /** Sums of reported seconds carry rounding errors; a budget filled exactly is not over. */
    private static final double EPSILON = 1e-6;
    /** While a probe is out, how soon the others look again. */
    static final long PROBE_WAIT_MILLIS = 200;

    private final double limitSeconds;
    private final long windowMillis;
    /** Seconds per method the client spends at most (the safety share of the budget). */
    private final double cap;
    /** Seconds per method spent without pacing (the burst share of the budget). */
    private final double burst;
    private final Map<String, State> states = new HashMap<>();

    private static final class State {
        double operating;
        long reportedAtMillis;
        long resetAtMillis;
        /** Own calls (reserved at, cost) that may still be in the portal's window. */
        final java.util.ArrayDeque<double[]> own = new java.util.ArrayDeque<>();
        double cost = Double.NaN;
        double inFlight;
        long nextAtMillis;
        boolean blocked;
        boolean probing;
        boolean known;
    }

    /** The outcome of {@link #reserve}: wait this long, then send (reserved) or ask again (not reserved). */
    record Grant(long waitMillis, boolean reserved, Map<String, Double> costs, Map<String, Boolean> probes,
                 Map<String, double[]> calls, Map<String, Integer> commands) {
        Grant(long waitMillis) {
            this(waitMillis, false, Map.of(), Map.of(), Map.of(), Map.of());
        }
    }

    OperatingBudgets(double limitSeconds, double safetyShare, double burstShare, long windowMillis) {
        this.limitSeconds = limitSeconds;
        this.windowMillis = windowMillis;
        this.cap = limitSeconds * safetyShare;
        this.burst = limitSeconds * Math.min(burstShare, safetyShare);
    }

    /**
     * Asks to send commands ({@code method -> count}). Reserved grants count as spent until {@link #settle}; a grant
     * that is not reserved must be asked for again after its wait.
     */
    synchronized Grant reserve(Map<String, Integer> commands, long nowMillis) {
        long at = nowMillis;
        Map<String, Double> needs = new LinkedHashMap<>();
        Map<String, Boolean> probes = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : commands.entrySet()) {
            State s = states.computeIfAbsent(e.getKey(), k -> new State());
            double need = e.getValue() * (Double.isNaN(s.cost) ? 0 : s.cost);
            if (s.blocked && nowMillis < s.resetAtMillis) {
                return new Grant(s.resetAtMillis - nowMillis);
            }
            if (!s.known) {
                // the portal has not told where this method stands yet: one call finds out
                if (s.probing) {
                    return new Grant(PROBE_WAIT_MILLIS);
                }
                probes.put(e.getKey(), true);
                needs.put(e.getKey(), need);
                continue;
            }
            double spent = spent(s, nowMillis);
            // a call bigger than the cap could never fit under it: it goes alone, once nothing else is spent
            if (spent + need > cap + EPSILON && !(need > cap && spent <= EPSILON)) {
                long wait = untilFits(s, spent, need, nowMillis);
                if (wait > 0 || s.probing) {
                    return new Grant(wait > 0 ? wait : PROBE_WAIT_MILLIS);
                }
                // others spent it and their part's reset has passed: one call finds out what is left
                probes.put(e.getKey(), true);
                needs.put(e.getKey(), need);
                continue;
            }
            if (spent + need > burst + EPSILON) {
                at = Math.max(at, s.nextAtMillis);
            }
            needs.put(e.getKey(), need);
        }
        Map<String, double[]> calls = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : needs.entrySet()) {
            State s = states.get(e.getKey());
            double need = e.getValue();
            if (probes.containsKey(e.getKey())) {
                s.probing = true;
            } else {
                double spent = spent(s, at);
                if (spent + need > burst + EPSILON) {
                    // spread what is left until the next part of the window drops out: this call's share of it
                    // moves the next call back
                    double left = Math.max(cap - spent, need);
                    long spacing = Math.round((nextDropOut(s, at) - at) * (need / left));
                    s.nextAtMillis = Math.max(s.nextAtMillis, at) + spacing;
                }
            }
            s.inFlight += need;
            double[] call = {at, need};
            s.own.addLast(call);
            calls.put(e.getKey(), call);
        }
        return new Grant(at - nowMillis, true, needs, probes, calls, commands);
    }

    /**
     * Seconds of the method's window spent at {@code t}: what the portal last reported, less this replica's calls
     * that dropped out of the window since, plus calls not answered yet.
     */
    private double spent(State s, long t) {
        double dropped = 0;
        for (double[] call : s.own) {
            long time = (long) call[0];
            if (time <= t - windowMillis && time > s.reportedAtMillis - windowMillis) {
                dropped += call[1];
            }
        }
        return Math.max(0, s.operating - dropped) + s.inFlight;
    }

    /**
     * How long until enough of this replica's calls have dropped out of the window for the call to fit; else until
     * the reported reset; 0 when that has passed too (then only a fresh answer tells what is left).
     */
    private long untilFits(State s, double spent, double need, long nowMillis) {
        double excess = spent + Math.min(need, cap) - cap;
        List<double[]> pending = new ArrayList<>();
        for (double[] call : s.own) {
            if ((long) call[0] + windowMillis > nowMillis && (long) call[0] > s.reportedAtMillis - windowMillis) {
                pending.add(call);
            }
        }
        pending.sort(Comparator.comparingDouble(call -> call[0]));
        for (double[] call : pending) {
            excess -= call[1];
            if (excess <= EPSILON) {
                return (long) call[0] + windowMillis - nowMillis + 1;
            }
        }
        // spent by others (another replica, or before a restart): only a fresh answer tells when it drops out
        return Math.max(0, s.resetAtMillis - nowMillis);
    }

    /** When the next part of the window drops out: the oldest own call still in it, or the reported reset. */
    private long nextDropOut(State s, long t) {
        long next = s.resetAtMillis > t ? s.resetAtMillis : t + windowMillis;
        for (double[] call : s.own) {
            long dropsAt = (long) call[0] + windowMillis;
            if (dropsAt > t) {
                next = Math.min(next, dropsAt);
            }
        }
        return next;
    }

    /** The reserved call was answered (or failed): its cost is no longer in flight. */
    synchronized void settle(Grant grant) {
        grant.costs().forEach((method, cost) -> {
            State s = states.get(method);
            if (s != null) {
                s.inFlight = Math.max(0, s.inFlight - cost);
                if (grant.probes().containsKey(method)) {
                    s.probing = false;
                }
                double[] call = grant.calls().get(method);
                if (call != null && call[1] == 0 && !Double.isNaN(s.cost)) {
                    // sent before its cost was known: count what it cost by now, so it drops out of the window too
                    call[1] = grant.commands().getOrDefault(method, 0) * s.cost;
                }
            }
        });
    }

    /**
     * Records what the portal reported with an answer of {@code method}: {@code operating} seconds spent in the
     * window, the reset, and the call's {@code duration} (NaN when not reported). An answer older than the one
     * recorded (concurrent calls finish out of order) does not set the state back.
     */
    synchronized void record(String method, double operating, long resetAtEpochSecond, double duration,
                             long nowMillis) {
        State s = states.computeIfAbsent(method, k -> new State());
        long resetAt = resetAtEpochSecond * 1000;
        if (!s.known || resetAt > s.resetAtMillis || resetAt == s.resetAtMillis && operating >= s.operating
                || nowMillis >= s.resetAtMillis) {
            s.operating = operating;
            s.reportedAtMillis = nowMillis;
            s.resetAtMillis = resetAt;
            s.known = true;
            s.blocked = false;
        }
        while (!s.own.isEmpty() && s.own.peekFirst()[0] <= nowMillis - 2 * windowMillis) {
            s.own.pollFirst(); // long out of the window, and out of every answer since
        }
        if (!Double.isNaN(duration) && duration >= 0) {
            s.cost = Double.isNaN(s.cost) ? duration : 0.7 * s.cost + 0.3 * duration;
        }
    }

    /**
     * {@code OPERATION_TIME_LIMIT}: no call of the method before its reset. Without a known reset, a minute, the
     * granularity of the portal's window; when the known one has just passed, the next part of the window drops out
     * soon: a few seconds.
     *
     * @return when the method may be called again (epoch millis)
     */
    synchronized long blocked(String method, long nowMillis) {
        State s = states.computeIfAbsent(method, k -> new State());
        if (!s.known) {
            s.resetAtMillis = nowMillis + 60_000;
        } else if (s.resetAtMillis <= nowMillis) {
            s.resetAtMillis = nowMillis + 5_000;
        }
        s.operating = Math.max(s.operating, limitSeconds);
        s.reportedAtMillis = nowMillis;
        s.blocked = true;
        s.known = true;
        return s.resetAtMillis;
    }

    synchronized void clear() {
        states.clear();
    }
}
