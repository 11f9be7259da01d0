package ru.b24connector.onec;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One line of the exchange log: a record received from 1C (pushed or pulled), or a write back to 1C. */
@Entity
@Table(name = "onec_exchange")
public class OneCExchange {

    /** PUSH: 1C called us; PULL: the scheduled OData read; WRITE: the service PATCHed 1C. */
    public enum Direction { PUSH, PULL, WRITE }

    /**
     * RECEIVED (stored, being applied) → APPLIED, or SUPERSEDED by a newer version of the same object before it was
     * applied, or FAILED after the last attempt; IGNORED (nothing to do, e.g. a deletion mark); REJECTED (invalid,
     * nothing changed); writes: PENDING → SENT or FAILED.
     */
    public enum Status { RECEIVED, APPLIED, SUPERSEDED, IGNORED, REJECTED, FAILED, PENDING, SENT }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Enumerated(EnumType.STRING)
    public Direction direction;

    @Enumerated(EnumType.STRING)
    public OneCRecords.Kind kind;

    public String ref;

    @Column(name = "data_version")
    public String dataVersion;

    public String number;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "deal_id")
    public Long dealId;

    @Column(name = "company_id")
    public Long companyId;

    public String payload;

    public String error;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
