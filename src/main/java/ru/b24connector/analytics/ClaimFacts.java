package ru.b24connector.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.onec.OneCExchangeQueries;
import ru.b24connector.onec.OneCRecords;
import ru.b24connector.reclamation.ClaimQueries;
import ru.b24connector.reclamation.ReclamationRequest;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * One row per claim for the board's analytics ({@code claim_fact}, {@code claim_item_fact}): the stage and manager
 * kept current from every read of the deal the process engine makes, the dealer, arrival, items and decision filled
 * from the service's own tables by {@link #refresh()}. The board then aggregates these in SQL, never asking the portal.
 */
@ApplicationScoped
public class ClaimFacts {

    /** A deal with no dealer claim and no 1C document this long after it was first seen was entered by hand. */
    static final Duration MANUAL_AFTER = Duration.ofHours(1);
    private static final int BATCH = 500;

    @Inject
    EntityManager em;

    @Inject
    ClaimQueries claims;

    @Inject
    OneCExchangeQueries onec;

    @Inject
    Clock clock;

    /**
     * The deal as the process engine read it (inside its transaction): stage, its semantics, manager. {@code entered}
     * is when the deal entered the stage; it is kept while the stage stays the same.
     */
    public void seen(JsonNode deal, long dealId, int category, String stage, Instant entered) {
        Instant now = clock.instant();
        Instant created = time(deal.path("DATE_CREATE").asText("")).orElse(entered);
        long manager = deal.path("ASSIGNED_BY_ID").asLong(0);
        String semantic = deal.path("STAGE_SEMANTIC_ID").asText("P");
        em.createNativeQuery("""
                        INSERT INTO claim_fact (deal_id, category_id, stage_id, semantic, stage_entered_at, manager_id,
                                                received_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                        ON DUPLICATE KEY UPDATE
                          stage_entered_at = IF(stage_id <> VALUES(stage_id), VALUES(stage_entered_at), stage_entered_at),
                          stage_id = VALUES(stage_id), category_id = VALUES(category_id), semantic = VALUES(semantic),
                          manager_id = VALUES(manager_id), updated_at = VALUES(updated_at)""")
                .setParameter(1, dealId).setParameter(2, category).setParameter(3, stage)
                .setParameter(4, semantic.matches("[PSF]") ? semantic : "P").setParameter(5, Timestamp.from(entered))
                .setParameter(6, manager > 0 ? manager : null).setParameter(7, Timestamp.from(created))
                .setParameter(8, Timestamp.from(now)).executeUpdate();
    }

    /**
     * Fills what the deal alone does not tell: the dealer, arrival and items (from the dealer claim or the 1C
     * document), and the decision (the first decision e-mail; else the close of the deal). Returns the claims filled.
     */
    public int refresh() {
        Instant now = clock.instant();
        List<Long> pending = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT deal_id FROM claim_fact WHERE sources_done = FALSE ORDER BY updated_at LIMIT " + BATCH)
                .getResultList().stream().map(v -> ((Number) v).longValue()).toList());
        int filled = 0;
        for (long dealId : pending) {
            try {
                filled += fill(dealId, now) ? 1 : 0;
            } catch (RuntimeException e) {
                Log.warnf("Analytics: claim of deal %d not filled: %s", dealId, e.getMessage());
            }
        }
        QuarkusTransaction.requiringNew().run(() -> {
            // the analytics read the decision e-mails by SQL (read-only) so the board stays one aggregate query each
            em.createNativeQuery("""
                            UPDATE claim_fact f
                            JOIN (SELECT m.deal_id, m.created_at, m.decision FROM mail_outbox m
                                  JOIN (SELECT deal_id, MIN(id) AS id FROM mail_outbox WHERE kind = 'decision'
                                        GROUP BY deal_id) first ON first.id = m.id) d ON d.deal_id = f.deal_id
                            SET f.decided_at = d.created_at, f.decision = d.decision
                            WHERE f.decision IS NULL""").executeUpdate();
            em.createNativeQuery("""
                            UPDATE claim_fact SET decided_at = stage_entered_at
                            WHERE decided_at IS NULL AND semantic IN ('S', 'F')""").executeUpdate();
        });
        return filled;
    }

    private boolean fill(long dealId, Instant now) {
        Optional<ClaimQueries.Claim> claim = claims.ofDeal(dealId);
        if (claim.isPresent()) {
            ReclamationRequest r = claim.get().request();
            Instant received = claim.get().receivedAt();
            QuarkusTransaction.requiringNew().run(() -> {
                source(dealId, "DEALER", r.dealer().inn(), r.dealer().companyName(), received);
                for (int i = 0; i < r.items().size(); i++) {
                    ReclamationRequest.Item item = r.items().get(i);
                    item(dealId, i, item.sku(), item.productName(), BigDecimal.valueOf(item.quantity()));
                }
            });
            return true;
        }
        Optional<OneCRecords.Reclamation> doc = onec.reclamationRecordOfDeal(dealId);
        if (doc.isPresent()) {
            OneCRecords.Reclamation d = doc.get();
            Instant received = onec.reclamationOfDeal(dealId).map(o -> o.createdAt).orElse(now);
            QuarkusTransaction.requiringNew().run(() -> {
                source(dealId, "ONEC", d.counterparty() == null ? null : d.counterparty().inn(),
                        d.counterparty() == null ? null : d.counterparty().name(), received);
                List<OneCRecords.Line> lines = d.lines() == null ? List.of() : d.lines();
                for (OneCRecords.Line l : lines) {
                    item(dealId, l.lineNumber(), l.productArticle() != null ? l.productArticle() : l.productCode(),
                            l.productName(), l.quantity());
                }
            });
            return true;
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        UPDATE claim_fact SET channel = 'MANUAL', sources_done = TRUE
                        WHERE deal_id = ?1 AND received_at < ?2""")
                .setParameter(1, dealId).setParameter(2, Timestamp.from(now.minus(MANUAL_AFTER))).executeUpdate());
        return false;
    }

    private void source(long dealId, String channel, String inn, String name, Instant received) {
        em.createNativeQuery("""
                        UPDATE claim_fact SET channel = ?2, dealer_inn = ?3, dealer_name = ?4,
                               received_at = COALESCE(?5, received_at), sources_done = TRUE
                        WHERE deal_id = ?1""")
                .setParameter(1, dealId).setParameter(2, channel).setParameter(3, cut(inn, 12))
                .setParameter(4, cut(name, 255)).setParameter(5, received == null ? null : Timestamp.from(received))
                .executeUpdate();
    }

    private void item(long dealId, int line, String sku, String name, BigDecimal quantity) {
        em.createNativeQuery("""
                        INSERT INTO claim_item_fact (deal_id, line, sku, product_name, quantity, received_at)
                        SELECT ?1, ?2, ?3, ?4, ?5, received_at FROM claim_fact WHERE deal_id = ?1
                        ON DUPLICATE KEY UPDATE sku = VALUES(sku), product_name = VALUES(product_name),
                                                quantity = VALUES(quantity), received_at = VALUES(received_at)""")
                .setParameter(1, dealId).setParameter(2, line).setParameter(3, cut(sku == null ? "" : sku, 128))
                .setParameter(4, cut(name == null ? "" : name, 500))
                .setParameter(5, quantity == null ? BigDecimal.ONE : quantity).executeUpdate();
    }

    private static Optional<Instant> time(String portalTime) {
        try {
            return portalTime.isEmpty() ? Optional.empty() : Optional.of(OffsetDateTime.parse(portalTime).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
