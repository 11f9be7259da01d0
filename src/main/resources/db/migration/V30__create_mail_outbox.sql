-- Decision e-mails to dealers: stored before anything is sent. A mail.decision job (same dedup key) sends it;
-- the row records what was rendered, whether SMTP accepted it (SENT: never sent again) and whether the deal's
-- timeline got the note (DONE). PENDING -> SENT -> DONE, or FAILED when the job is dead-lettered.
CREATE TABLE mail_outbox (
  id                  BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dedup_key           VARCHAR(255)  NOT NULL,
  kind                VARCHAR(32)   NOT NULL,
  deal_id             BIGINT        NOT NULL,
  decision            VARCHAR(16)   NOT NULL,
  decision_comment    TEXT          NULL,
  requested_email     VARCHAR(320)  NULL,
  recipient           VARCHAR(320)  NULL,
  language            VARCHAR(8)    NULL,
  subject             VARCHAR(1000) NULL,
  body                LONGTEXT      NULL,
  message_id          VARCHAR(255)  NOT NULL,
  status              VARCHAR(16)   NOT NULL,
  attempts            INT           NOT NULL DEFAULT 0,
  last_error          VARCHAR(2000) NULL,
  sent_at             DATETIME(6)   NULL,
  recorded_at         DATETIME(6)   NULL,
  created_at          DATETIME(6)   NOT NULL,
  updated_at          DATETIME(6)   NOT NULL,
  version             BIGINT        NOT NULL DEFAULT 0,
  CONSTRAINT uq_mail_outbox_key UNIQUE (kind, dedup_key),
  INDEX ix_mail_outbox_deal (deal_id),
  INDEX ix_mail_outbox_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
