package ru.b24connector.tasks;

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

/** A portal task the service created and follows. */
@Entity
@Table(name = "tracked_task")
public class TrackedTask {

    /** CREATING (row written, portal call not confirmed) → OPEN → COMPLETED, or DELETED when gone from the portal. */
    public enum Status { CREATING, OPEN, COMPLETED, DELETED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Same business fact (rule + deal + stage entry, robot run) ⇒ same key ⇒ one task. */
    @Column(name = "dedup_key")
    public String dedupKey;

    /** Tag put on the portal task, used to find it if the create got no answer. */
    public String tag;

    @Column(name = "task_id")
    public Long taskId;

    @Column(name = "deal_id")
    public Long dealId;

    @Column(name = "responsible_id")
    public long responsibleId;

    public String title;

    public Instant deadline;

    @Enumerated(EnumType.STRING)
    public Status status;

    /** Who asked for it: {@code process:<rule>}, {@code robot:create_task}, {@code escalation}, ... */
    public String source;

    /** Highest escalation level already carried out (0 = none). */
    @Column(name = "escalation_level")
    public int escalationLevel;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}
