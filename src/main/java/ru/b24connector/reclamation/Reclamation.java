package ru.b24connector.reclamation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** A dealer's claim as accepted, and how far it got into the CRM. */
@Entity
@Table(name = "reclamation")
public class Reclamation {

    /** ACCEPTED (stored, not yet in the CRM) → IN_CRM (deal created with its rows and comment). */
    public enum Status { ACCEPTED, IN_CRM }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** SHA-256 of the dealer token that sent it: only that token may read it. */
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "dealer_claim_id")
    public String dealerClaimId;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    public String inn;

    /** The validated request, normalized (phone in E.164). */
    @Column(name = "request_json")
    public String requestJson;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;

    /** A processing group holds it until then. */
    @Column(name = "claimed_until")
    public Instant claimedUntil;

    /** The token of the group that holds it: only that group lets it go. */
    @Column(name = "claim_group")
    public String claimGroup;

    /** How often a group took it; past the first, earlier attempts may have created portal records. */
    public int claims;

    @Column(name = "rows_done")
    public boolean rowsDone;

    @Column(name = "comment_done")
    public boolean commentDone;

    @Column(name = "company_id")
    public Long companyId;

    @Column(name = "contact_id")
    public Long contactId;

    @Column(name = "deal_id")
    public Long dealId;

    /** A batch with this claim's crm.deal.add was sent: its answer may have been lost. */
    @Column(name = "deal_requested")
    public boolean dealRequested;

    @Column(name = "stage_id")
    public String stageId;

    @Column(name = "stage_name")
    public String stageName;

    public String decision;

    @Column(name = "stage_read_at")
    public Instant stageReadAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}
