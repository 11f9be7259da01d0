package ru.b24connector.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A small in-memory cache whose entries end after a fixed time; bounded by dropping ended entries, then all. */
final class TimedCache<V> {

    private record Entry<V>(V value, Instant until) {
    }

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final int maxEntries;

    TimedCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    Optional<V> get(String key, Clock clock) {
        Entry<V> entry = entries.get(key);
        if (entry == null || !entry.until().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    void put(String key, V value, Duration ttl, Clock clock) {
        if (entries.size() >= maxEntries) {
            Instant now = clock.instant();
            entries.values().removeIf(e -> !e.until().isAfter(now));
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
    }

    void removeIf(java.util.function.Predicate<String> key) {
        entries.keySet().removeIf(key);
    }

    void clear() {
        entries.clear();
    }
}
