package ru.b24connector.onec;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the pull of each entity set stands ({@code onec_watermark}): the window of the run (documents dated from
 * {@code run_since} on) and the next row to read. The position is saved after every page, so a run cut off by an
 * outage resumes at the first page not stored, with the same window; a complete run moves {@code since} to the
 * newest document date it saw.
 */
@ApplicationScoped
class OneCWatermarks {

    @Inject
    EntityManager em;

    @Inject
    OneCConfig config;

    @Inject
    Clock clock;

    /** A run's window and position. */
    static final class Watermark {
        LocalDateTime runSince;
        int nextSkip;
        LocalDateTime maxSeen;
    }

    /** Resumes a run cut off earlier (same window, next page), or opens a new one from the watermark. */
    Watermark startRun(String set, OneCRecords.Kind kind) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("INSERT IGNORE INTO onec_watermark (entity_set, next_skip, updated_at) VALUES (?1, 0, ?2)")
                    .setParameter(1, set).setParameter(2, Timestamp.from(clock.instant())).executeUpdate();
            Object[] row = (Object[]) em.createNativeQuery(
                            "SELECT since, run_since, next_skip, max_seen FROM onec_watermark WHERE entity_set = ?1 FOR UPDATE")
                    .setParameter(1, set).getSingleResult();
            Watermark mark = new Watermark();
            LocalDateTime since = toLocal(row[0]);
            LocalDateTime runSince = toLocal(row[1]);
            int nextSkip = ((Number) row[2]).intValue();
            if (nextSkip > 0 && (runSince != null || kind == OneCRecords.Kind.COUNTERPARTY)) {
                mark.runSince = runSince;
                mark.nextSkip = nextSkip;
                mark.maxSeen = toLocal(row[3]);
                return mark;
            }
            LocalDateTime now = LocalDateTime.now(clock.withZone(config.zone())).truncatedTo(ChronoUnit.SECONDS);
            if (kind == OneCRecords.Kind.RECLAMATION) { // catalogs are read in full: no window
                mark.runSince = since == null ? now.minus(config.pullLookback()) : since.minus(config.pullOverlap());
            }
            mark.nextSkip = 0;
            mark.maxSeen = since;
            savePositionInTx(set, mark, null);
            return mark;
        });
    }

    void savePosition(String set, Watermark mark, String error) {
        QuarkusTransaction.requiringNew().run(() -> savePositionInTx(set, mark, error));
    }

    private void savePositionInTx(String set, Watermark mark, String error) {
        em.createNativeQuery("UPDATE onec_watermark SET run_since = ?1, next_skip = ?2, max_seen = ?3, last_error = ?4, "
                        + "updated_at = ?5 WHERE entity_set = ?6")
                .setParameter(1, mark.runSince).setParameter(2, mark.nextSkip).setParameter(3, mark.maxSeen)
                .setParameter(4, OneCExchangeLog.truncate(error, 2000)).setParameter(5, Timestamp.from(clock.instant()))
                .setParameter(6, set).executeUpdate();
    }

    /** The run read everything: the watermark moves to the newest document date seen, the next run starts anew. */
    void complete(String set, Watermark mark) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        UPDATE onec_watermark SET since = COALESCE(?1, since), run_since = NULL, next_skip = 0,
                               max_seen = NULL, last_error = NULL, completed_at = ?2, updated_at = ?2
                        WHERE entity_set = ?3""")
                .setParameter(1, mark.maxSeen).setParameter(2, Timestamp.from(clock.instant())).setParameter(3, set)
                .executeUpdate());
    }

    /** Where each entity set's pull stands, for the admin API. */
    List<Map<String, Object>> list() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT entity_set, since, run_since, next_skip, last_error, "
                    + "completed_at FROM onec_watermark ORDER BY entity_set").getResultList();
            return rows.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("entitySet", r[0]);
                m.put("since", r[1] == null ? null : r[1].toString());
                m.put("resumeWindow", r[2] == null ? null : r[2].toString());
                m.put("resumeAtRow", r[3]);
                m.put("lastError", r[4]);
                m.put("completedAt", r[5] == null ? null : r[5].toString());
                return m;
            }).toList();
        });
    }

    private static LocalDateTime toLocal(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDateTime l) {
            return l;
        }
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        return LocalDateTime.parse(value.toString().replace(' ', 'T'));
    }
}
