package ru.b24connector.reclamation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;
import ru.b24connector.security.Tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts dealer claims: stores each (and its processing job) before answering, answers a repeat with the first
 * answer, and tells a dealer where its claim stands.
 */
@ApplicationScoped
public class ReclamationService {

    static final String JOB = "reclamation.process";

    /** The dedup key of a claim's processing job. */
    static String jobKey(long reclamationId) {
        return "reclamation:" + reclamationId;
    }

    /** What the dealer gets back, on acceptance and on status requests. */
    public record Receipt(long id, String status, String statusUrl, Long dealId, String stage, String decision) {
    }

    /** Outcome of an intake: the receipt, and whether it was a repeat of an earlier one. */
    public record Accepted(Receipt receipt, boolean repeat) {
    }

    private final Map<String, String> stageNames = new ConcurrentHashMap<>();

    @Inject
    EntityManager em;

    @Inject
    JobQueue jobs;

    @Inject
    IntakeConfig config;

    @Inject
    ReclamationValidator validator;

    @Inject
    PortalClient portal;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** The hash a dealer token is known by, or empty when the token is not accepted. */
    public Optional<String> dealerOf(String bearerToken) {
        List<String> accepted = config.apiTokens().orElse(List.of());
        if (bearerToken == null || !Tokens.matchesAny(bearerToken, accepted)) {
            return Optional.empty();
        }
        return Optional.of(sha256(bearerToken));
    }

    public Accepted accept(String dealer, String idempotencyKey, ReclamationRequest request) {
        ReclamationRequest valid = validator.check(request);
        Optional<Reclamation> earlier = find(dealer, idempotencyKey, valid.dealerClaimId());
        if (earlier.isPresent()) {
            return new Accepted(receipt(earlier.get()), true);
        }
        try {
            Reclamation stored = QuarkusTransaction.requiringNew().call(() -> {
                Reclamation r = new Reclamation();
                r.tokenHash = dealer;
                r.dealerClaimId = valid.dealerClaimId();
                r.idempotencyKey = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey;
                r.inn = valid.dealer().inn();
                r.requestJson = json.writeValueAsString(valid);
                r.status = Reclamation.Status.ACCEPTED;
                r.createdAt = clock.instant();
                r.updatedAt = r.createdAt;
                em.persist(r);
                em.flush();
                jobs.enqueue(JOB, jobKey(r.id), Map.of("reclamationId", r.id));
                return r;
            });
            Log.infof("Accepted reclamation %d (%s) from dealer INN %s", stored.id, stored.dealerClaimId, stored.inn);
            return new Accepted(receipt(stored), false);
        } catch (PersistenceException e) {
            // the same claim arrived twice at the same moment: the other one was stored, answer with it
            return find(dealer, idempotencyKey, valid.dealerClaimId()).map(r -> new Accepted(receipt(r), true))
                    .orElseThrow(() -> e);
        }
    }

    /** The claim's state for the dealer who sent it; empty for anyone else. */
    public Optional<Receipt> status(String dealer, long id) {
        Reclamation r = QuarkusTransaction.requiringNew().call(() -> em.find(Reclamation.class, id));
        if (r == null || !Tokens.matches(dealer, r.tokenHash)) {
            return Optional.empty();
        }
        if (r.dealId != null && (r.stageReadAt == null
                || r.stageReadAt.plus(config.stageCacheFor()).isBefore(clock.instant()))) {
            refreshStage(r);
        }
        return Optional.of(receipt(r));
    }

    /** Reads the deal's stage and decision; a portal outage leaves the last known values. */
    private void refreshStage(Reclamation r) {
        try {
            JsonNode deal = portal.call("crm.deal.get", Map.of("id", r.dealId));
            String stageId = deal.path("STAGE_ID").asText(null);
            String name = stageId == null ? null : stageName(deal.path("CATEGORY_ID").asText("0"), stageId);
            String decision = deal.path(config.decisionField()).asText("");
            QuarkusTransaction.requiringNew().run(() -> {
                Reclamation row = em.find(Reclamation.class, r.id);
                row.stageId = stageId;
                row.stageName = name;
                row.decision = decision.isBlank() ? null : decision;
                row.stageReadAt = clock.instant();
            });
            r.stageId = stageId;
            r.stageName = name;
            r.decision = decision.isBlank() ? null : decision;
        } catch (PortalException e) {
            Log.warnf("Stage of deal %d not read for a status request: %s", r.dealId, e.getMessage());
        }
    }

    private String stageName(String categoryId, String stageId) {
        String known = stageNames.get(stageId);
        if (known != null) {
            return known;
        }
        String entity = "0".equals(categoryId) ? "DEAL_STAGE" : "DEAL_STAGE_" + categoryId;
        for (JsonNode status : portal.list("crm.status.list", Map.of("filter", Map.of("ENTITY_ID", entity)))) {
            stageNames.put(status.path("STATUS_ID").asText(), status.path("NAME").asText());
        }
        return stageNames.getOrDefault(stageId, stageId);
    }

    private Optional<Reclamation> find(String dealer, String idempotencyKey, String dealerClaimId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (idempotencyKey != null && !idempotencyKey.isBlank()) {
                List<Reclamation> byKey = em.createQuery("from Reclamation where tokenHash = :t and idempotencyKey = :k",
                        Reclamation.class).setParameter("t", dealer).setParameter("k", idempotencyKey).getResultList();
                if (!byKey.isEmpty()) {
                    return Optional.of(byKey.get(0));
                }
            }
            return em.createQuery("from Reclamation where tokenHash = :t and dealerClaimId = :c", Reclamation.class)
                    .setParameter("t", dealer).setParameter("c", dealerClaimId).getResultStream().findFirst();
        });
    }

    static Receipt receipt(Reclamation r) {
        String status = r.status == Reclamation.Status.IN_CRM ? "in_crm" : "accepted";
        if (r.decision != null) {
            status = "decided";
        }
        return new Receipt(r.id, status, "/api/v1/reclamations/" + r.id, r.dealId, r.stageName, r.decision);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    ReclamationRequest read(Reclamation r) {
        try {
            return json.readValue(r.requestJson, ReclamationRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored reclamation " + r.id + " is unreadable", e);
        }
    }
}
