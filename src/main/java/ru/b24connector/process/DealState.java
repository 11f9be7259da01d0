package ru.b24connector.process;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** The stage the process engine last saw a deal in, and how many stage changes it has acted on. */
@Entity
@Table(name = "process_deal")
public class DealState {

    @Id
    @Column(name = "deal_id")
    public Long dealId;

    @Column(name = "category_id")
    public int categoryId;

    @Column(name = "stage_id")
    public String stageId;

    @Column(name = "previous_stage_id")
    public String previousStageId;

    /** Stage changes seen so far; part of every idempotency key, so one change is acted on once. */
    public int transitions;

    /**
     * The change that began the current stay in the stage: its tasks and moves are keyed by it. Equal to
     * {@link #transitions}, except after the required-field guard sent the deal back to its earlier stay.
     */
    public int stay;

    /** {@link #stay} of the stage before, resumed if the guard sends the deal back. */
    @Column(name = "previous_stay")
    public Integer previousStay;

    /** When the deal was seen entering its stage (time-in-stage moves count from here). */
    @Column(name = "entered_at")
    public Instant enteredAt;

    /** The deal's DATE_MODIFY when last seen; an older read (a late, reordered event) is ignored. */
    @Column(name = "deal_modified_at")
    public Instant dealModifiedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}
