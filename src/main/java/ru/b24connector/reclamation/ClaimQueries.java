package ru.b24connector.reclamation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only views of the dealer claims, for the pages people look at (the deal card, the supervisor's board). */
@ApplicationScoped
public class ClaimQueries {

    /** A claim as the dealer sent it, and how far it got. */
    public record Claim(long id, String dealerClaimId, String inn, String status, Long dealId, Instant receivedAt,
                        Instant updatedAt, String lastError, ReclamationRequest request) {
    }

    /** A photo's bytes as the dealer sent them, or fetched from an allowed host. */
    public record Photo(String fileName, byte[] bytes) {
    }

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    PhotoFetcher photos;

    /** The dealer claim a deal was opened for; empty when the deal did not come through the dealer intake. */
    public Optional<Claim> ofDeal(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "from Reclamation where dealId = :d order by id", Reclamation.class)
                .setParameter("d", dealId).setMaxResults(1).getResultStream().findFirst().map(this::claim));
    }

    /** Dealer claims of these deals, by deal id. */
    public Map<Long, Claim> ofDeals(Collection<Long> dealIds) {
        if (dealIds.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<Long, Claim> out = new LinkedHashMap<>();
            em.createQuery("from Reclamation where dealId in :d order by id", Reclamation.class)
                    .setParameter("d", dealIds).getResultList().forEach(r -> out.putIfAbsent(r.dealId, claim(r)));
            return out;
        });
    }

    /** Claims whose dealer claim id or dealer INN is {@code key}, newest first (at most {@code limit}). */
    public List<Claim> byClaimIdOrInn(String key, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "from Reclamation where dealerClaimId = :k or inn = :k order by id desc", Reclamation.class)
                .setParameter("k", key).setMaxResults(limit).getResultList().stream().map(this::claim).toList());
    }

    /** Claims accepted but not in the CRM yet, oldest first. */
    public List<Claim> waiting(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "from Reclamation where status = :s order by id", Reclamation.class)
                .setParameter("s", Reclamation.Status.ACCEPTED).setMaxResults(limit).getResultList()
                .stream().map(this::claim).toList());
    }

    /** When each claim received since {@code since} arrived (for the received-per-day chart). */
    public List<Instant> receivedSince(Instant since) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "select createdAt from Reclamation where createdAt >= :s", Instant.class)
                .setParameter("s", since).getResultList());
    }

    /**
     * Photo {@code photo} of item {@code item} of the deal's claim: the bytes the dealer sent inline, or fetched
     * from its URL, which must be https on an allowed host ({@code INTAKE_PHOTO_HOSTS}) like at intake.
     */
    public Optional<Photo> photo(long dealId, int item, int photo) {
        Optional<Claim> claim = ofDeal(dealId);
        if (claim.isEmpty() || item < 0 || item >= claim.get().request().items().size()) {
            return Optional.empty();
        }
        List<ReclamationRequest.Photo> list = claim.get().request().items().get(item).photos();
        if (list == null || photo < 0 || photo >= list.size()) {
            return Optional.empty();
        }
        ReclamationRequest.Photo p = list.get(photo);
        String base64 = p.contentBase64() != null && !p.contentBase64().isBlank() ? p.contentBase64()
                : photos.fetchBase64(p.url());
        return Optional.of(new Photo(p.fileName(), Base64.getMimeDecoder().decode(base64)));
    }

    private Claim claim(Reclamation r) {
        ReclamationRequest request;
        try {
            request = json.readValue(r.requestJson, ReclamationRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored reclamation " + r.id + " is unreadable", e);
        }
        return new Claim(r.id, r.dealerClaimId, r.inn, r.status.name(), r.dealId, r.createdAt, r.updatedAt,
                r.lastError, request);
    }
}
