package ru.b24connector.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed console logins per client address in a sliding minute, in this replica's memory: after
 * {@value #MAX_FAILURES} failures an address is refused (429) until the oldest of them is a minute old.
 */
@ApplicationScoped
public class LoginLimiter {

    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Bounds memory when many addresses fail: beyond this, windows already over are dropped. */
    private static final int MAX_ADDRESSES = 10_000;

    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    @Inject
    Clock clock;

    /** Seconds until {@code address} may try again; 0 when it may now. */
    long blockedSeconds(String address) {
        Deque<Long> times = failures.get(address);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            long now = clock.millis();
            prune(times, now);
            return times.size() < MAX_FAILURES ? 0 : Math.max(1, (times.peekFirst() + WINDOW.toMillis() - now + 999) / 1000);
        }
    }

    void failed(String address) {
        if (failures.size() > MAX_ADDRESSES) {
            long now = clock.millis();
            failures.values().removeIf(d -> {
                synchronized (d) {
                    prune(d, now);
                    return d.isEmpty();
                }
            });
        }
        Deque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(clock.millis());
        }
    }

    /** Forgets every failure (tests). */
    void clear() {
        failures.clear();
    }

    private static void prune(Deque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() <= now - WINDOW.toMillis()) {
            times.removeFirst();
        }
    }
}
