package ru.b24connector.portal;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code OVERLOAD_LIMIT}: Bitrix24 support has blocked this application's REST API by hand (_includes/system-errors.md).
 * Not an outage: calls stop, one ERROR line says so, and one rare probe tells when the block is lifted.
 */
@ApplicationScoped
public class OverloadBlock {

    @Inject
    PortalHealth health;

    @Inject
    PortalConfig config;

    @Inject
    Clock clock;

    /** An answer came through: the portal is reached, and a block, if there was one, is lifted. */
    void reached() {
        health.reached(clock.instant());
        health.unblocked().ifPresent(block -> Log.infof(
                "Bitrix24 answers again: the block of this application's REST API (OVERLOAD_LIMIT) since %s is lifted",
                block.since()));
    }

    /** The portal answered {@code OVERLOAD_LIMIT}: calls stop; said once, in one ERROR line, when the block starts. */
    void blocked(PortalException.Blocked e) {
        Instant now = clock.instant();
        Duration every = config.http().overloadProbeEvery();
        if (health.blocked(now, now.plus(every))) {
            Log.errorf("Bitrix24 support has blocked this application's REST API (OVERLOAD_LIMIT: a manual block, "
                    + "not an outage; only Bitrix24 support lifts it). No portal calls go out; jobs wait without "
                    + "spending attempts; one probe every %s tells when it is lifted. Answer: %s",
                    every.toString().substring(2).toLowerCase(Locale.ROOT), e.getMessage());
        }
    }

    /** True while the block holds and this is not the moment for its rare probe: nothing may be sent. */
    boolean holds() {
        return health.block().isPresent() && !health.probeDue(clock.instant(), config.http().overloadProbeEvery());
    }

    /** While the block holds, a call is not sent, except as the rare probe once it is due. */
    void refuseWhileBlocked(String method) {
        if (holds()) {
            throw new PortalException.Blocked(method, text() + "; not sent");
        }
    }

    /** What the block is, for readiness and errors. */
    String text() {
        return health.block().map(b -> "REST API blocked by Bitrix24 support (OVERLOAD_LIMIT) since " + b.since()
                + "; next probe at " + b.nextProbe()).orElse("REST API blocked by Bitrix24 support (OVERLOAD_LIMIT)");
    }
}
