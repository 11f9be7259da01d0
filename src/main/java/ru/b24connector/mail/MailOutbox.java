package ru.b24connector.mail;

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

/** A mail to send, stored before it is sent; its status says how far it got. */
@Entity
@Table(name = "mail_outbox")
public class MailOutbox {

    /** PENDING (stored, maybe rendered) → SENT (SMTP accepted: never sent again) → DONE (noted on the deal). */
    public enum Status { PENDING, SENT, DONE, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Same business fact (deal + decision event) ⇒ same key ⇒ one mail. */
    @Column(name = "dedup_key")
    public String dedupKey;

    /** {@code decision}. */
    public String kind;

    @Column(name = "deal_id")
    public long dealId;

    @Enumerated(EnumType.STRING)
    public Decision decision;

    @Column(name = "decision_comment")
    public String comment;

    /** Address the caller asked for; null: the deal contact's e-mail. */
    @Column(name = "requested_email")
    public String requestedEmail;

    /** Where it goes, known once rendered. */
    public String recipient;

    public String language;

    /** Rendered once and kept, so a retry sends the very same mail. */
    public String subject;

    public String body;

    /** Derived from the dedup key: a re-send after a crash carries the same id, so mail systems can drop it. */
    @Column(name = "message_id")
    public String messageId;

    @Enumerated(EnumType.STRING)
    public Status status;

    public int attempts;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}
