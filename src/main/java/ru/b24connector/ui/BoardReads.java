package ru.b24connector.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.BatchResult;

import java.time.Clock;

/**
 * The board's one portal read per opening, kept for the session's life: filters, periods and CSV exports of the same
 * opening reuse it and call the portal no more.
 */
@ApplicationScoped
class BoardReads {

    private final TimedCache<BatchResult> lastReads = new TimedCache<>(1_000);

    @Inject
    UiConfig config;

    @Inject
    Clock clock;

    void put(UiSession session, BatchResult read) {
        lastReads.put(key(session), read, config.sessionTtl(), clock);
    }

    BatchResult get(UiSession session) {
        return lastReads.get(key(session), clock)
                .orElseThrow(() -> UiRefusal.unauthorized("the board's portal read has expired; open it again"));
    }

    /** The period of the analytics: 30 days unless one of the offered periods is asked for. */
    static int days(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return ru.b24connector.analytics.BoardAnalytics.PERIODS.get(0);
        }
        if (!v.matches("[0-9]{1,3}") || !ru.b24connector.analytics.BoardAnalytics.PERIODS.contains(Integer.parseInt(v))) {
            throw UiRefusal.badRequest("days must be one of " + ru.b24connector.analytics.BoardAnalytics.PERIODS);
        }
        return Integer.parseInt(v);
    }

    private static String key(UiSession session) {
        return session.memberId() + "|" + session.userId();
    }
}
