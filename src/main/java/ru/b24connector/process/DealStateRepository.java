package ru.b24connector.process;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Deal states, process effects and the scan cursor; used by the process package only. */
@ApplicationScoped
class DealStateRepository implements PanacheRepositoryBase<DealState, Long> {

    /** Inserts the first state of a deal unless it exists; true when inserted. */
    boolean insertFirst(long dealId, int category, String stage, Instant modified, Instant now) {
        return getEntityManager().createNativeQuery("""
                        INSERT IGNORE INTO process_deal (deal_id, category_id, stage_id, previous_stage_id, transitions,
                                                         stay, entered_at, deal_modified_at, updated_at, version)
                        VALUES (?1, ?2, ?3, NULL, 1, 1, ?4, ?5, ?4, 0)""")
                .setParameter(1, dealId).setParameter(2, category).setParameter(3, stage)
                .setParameter(4, Timestamp.from(now)).setParameter(5, modified == null ? null : Timestamp.from(modified))
                .executeUpdate() == 1;
    }

    /** The deal's row, locked until the transaction ends (two workers seeing the same deal queue up here). */
    Optional<DealState> lock(long dealId) {
        return Optional.ofNullable(getEntityManager().find(DealState.class, dealId, LockModeType.PESSIMISTIC_WRITE));
    }

    List<DealState> inStageSince(int category, String stage, Instant enteredBefore) {
        return list("categoryId = ?1 and stageId = ?2 and enteredAt <= ?3", category, stage, enteredBefore);
    }

    boolean effectDone(String key) {
        return getEntityManager().createNativeQuery("SELECT 1 FROM process_effect WHERE effect_key = ?1")
                .setParameter(1, key).getResultList().size() == 1;
    }

    void recordEffect(String key, Instant now) {
        getEntityManager().createNativeQuery("INSERT IGNORE INTO process_effect (effect_key, done_at) VALUES (?1, ?2)")
                .setParameter(1, key).setParameter(2, Timestamp.from(now)).executeUpdate();
    }

    Optional<String> cursor(String name) {
        List<?> rows = getEntityManager().createNativeQuery("SELECT value FROM process_cursor WHERE name = ?1")
                .setParameter(1, name).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(String.valueOf(rows.get(0)));
    }

    void saveCursor(String name, String value, Instant now) {
        getEntityManager().createNativeQuery("""
                        INSERT INTO process_cursor (name, value, updated_at) VALUES (?1, ?2, ?3)
                        ON DUPLICATE KEY UPDATE value = ?2, updated_at = ?3""")
                .setParameter(1, name).setParameter(2, value).setParameter(3, Timestamp.from(now)).executeUpdate();
    }
}
