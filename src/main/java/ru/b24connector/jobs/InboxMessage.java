package ru.b24connector.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** Something accepted from outside, stored verbatim before it was acknowledged. */
@Entity
@Table(name = "inbox_message")
public class InboxMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Who sent it: {@code b24-event}, {@code b24-robot}, {@code intake}, {@code onec}. */
    public String source;

    /** Same delivery ⇒ same key; the second one is acknowledged without being processed again. */
    @Column(name = "dedup_key")
    public String dedupKey;

    /** Event code, robot code or record type. */
    public String kind;

    public String body;

    @Column(name = "received_at")
    public Instant receivedAt;
}
