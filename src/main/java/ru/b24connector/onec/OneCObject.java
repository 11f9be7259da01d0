package ru.b24connector.onec;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** A 1C object the service knows: its portal record, and which of its versions was received and applied. */
@Entity
@Table(name = "onec_object")
@IdClass(OneCObject.Key.class)
public class OneCObject {

    /** Ref_Keys are unique per object type only, so the kind is part of the key. */
    public static class Key implements Serializable {
        public OneCRecords.Kind kind;
        public String ref;

        public Key() {
        }

        public Key(OneCRecords.Kind kind, String ref) {
            this.kind = kind;
            this.ref = ref;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.kind == kind && java.util.Objects.equals(k.ref, ref);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(kind, ref);
        }
    }

    @Id
    @Enumerated(EnumType.STRING)
    public OneCRecords.Kind kind;

    @Id
    public String ref;

    /** Company id of a counterparty, deal id of a reclamation. */
    @Column(name = "portal_id")
    public Long portalId;

    @Column(name = "company_id")
    public Long companyId;

    @Column(name = "contact_id")
    public Long contactId;

    /** The deal's first timeline comment (claim text, lines, attachments) is on the deal. */
    @Column(name = "comment_done")
    public boolean commentDone;

    @Column(name = "received_exchange_id")
    public Long receivedExchangeId;

    @Column(name = "applied_exchange_id")
    public Long appliedExchangeId;

    /** The newest version received, as JSON. */
    public String payload;

    /** A received version waits to be applied; any group of its kind may take it (a failed one waits for its job). */
    @Column(name = "apply_waiting")
    public boolean applyWaiting;

    /** A call that may create its company or deal was sent: the next attempt looks them up before creating. */
    @Column(name = "portal_requested")
    public boolean portalRequested;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
