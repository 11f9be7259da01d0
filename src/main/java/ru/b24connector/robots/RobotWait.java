package ru.b24connector.robots;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** A {@code request_info} run waiting for a colleague's answer. */
@Entity
@Table(name = "robot_wait")
public class RobotWait {

    public enum Status { WAITING, ANSWERED, TIMED_OUT }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The robot call (its inbox row holds the event token); null for a question asked from the deal card. */
    @Column(name = "inbox_id")
    public Long inboxId;

    @Column(name = "task_id")
    public long taskId;

    @Column(name = "deal_id")
    public long dealId;

    /** Item of the claim the question is about (0-based); null: the whole deal. */
    @Column(name = "item_index")
    public Integer itemIndex;

    @Column(name = "ask_user")
    public long askUser;

    /** Portal user who asked from the card; null for a robot run. */
    @Column(name = "asked_by")
    public Long askedBy;

    /** Key of a card question (one per click); null for a robot run. */
    @Column(name = "question_key")
    public String questionKey;

    public String question;

    @Enumerated(EnumType.STRING)
    public Status status;

    public String answer;

    /** When the portal stops waiting ({@code timeout_duration} after the call); null = never. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}
