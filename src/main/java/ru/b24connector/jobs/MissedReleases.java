package ru.b24connector.jobs;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Releases of short holds (a dealer's INN lease, a group of claims) that the database missed because it was down or
 * frozen. The hold would run out by itself within its minute, but the work it keeps out would wait that long after
 * the database is back; instead the release is made again at every heartbeat and before the next hold is taken.
 */
@ApplicationScoped
public class MissedReleases {

    /** A release not made yet, and until when it is still this holder's to make. */
    private record Missed(Runnable release, Instant until) {
    }

    private final Map<String, Missed> missed = new ConcurrentHashMap<>();

    @Inject
    Clock clock;

    /**
     * Runs {@code release} now; if the database misses it, keeps it to run again until {@code until}: the hold runs
     * out by itself then, and another holder may have taken what it held. Never throws: the holder's work is done
     * either way.
     */
    public void release(String what, Instant until, Runnable release) {
        try {
            release.run();
        } catch (RuntimeException e) {
            missed.put(what, new Missed(release, until));
            Log.debugf("%s not released now, released when the database answers: %s", what, e);
        }
    }

    /** Makes the missed releases now if the database answers; true when none is left. */
    public boolean retry() {
        for (Map.Entry<String, Missed> entry : missed.entrySet()) {
            Missed release = entry.getValue();
            if (!clock.instant().isBefore(release.until())) {
                missed.remove(entry.getKey(), release); // ran out by itself: no longer this holder's
                continue;
            }
            try {
                release.release().run();
                missed.remove(entry.getKey(), release);
            } catch (RuntimeException e) {
                return false; // still away: the next heartbeat or hold tries again
            }
        }
        return true;
    }

    void onHeartbeat(@Observes JobWorker.Heartbeat beat) {
        retry();
    }
}
