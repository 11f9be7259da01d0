package ru.b24connector.ui;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One click in the card or on the board (ask, reassign, resend) and who made it. */
@Entity
@Table(name = "ui_action")
public class UiAction {

    public enum Kind { ASK, REASSIGN, RESEND }

    public enum Status { QUEUED, DONE, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The form's one-time nonce: a second submit of the same form finds this row and does nothing. */
    public String nonce;

    @Column(name = "deal_id")
    public long dealId;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Kind action;

    @Column(name = "member_id")
    public String memberId;

    /** The portal user who clicked, as the portal confirmed them when the page was opened. */
    @Column(name = "user_id")
    public long userId;

    @Column(name = "user_name")
    public String userName;

    /** The action's input as JSON (question, item, ask_user; new_responsible). */
    public String params;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;

    public String result;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
