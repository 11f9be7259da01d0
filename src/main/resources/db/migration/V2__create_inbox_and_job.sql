-- Everything accepted from outside (portal events, robot calls, dealer intakes, 1C pushes), stored verbatim
-- before it is acknowledged. The unique key makes a second delivery of the same thing a no-op.
CREATE TABLE inbox_message (
  id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  source      VARCHAR(32)  NOT NULL,
  dedup_key   VARCHAR(255) NOT NULL,
  kind        VARCHAR(64)  NOT NULL,
  body        LONGTEXT     NOT NULL,
  received_at DATETIME(6)  NOT NULL,
  CONSTRAINT uq_inbox_source_key UNIQUE (source, dedup_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The durable job queue. Workers claim due rows with SELECT ... FOR UPDATE SKIP LOCKED and hold a lease;
-- a job whose lease ran out (its worker died) is due again.
CREATE TABLE job (
  id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  type         VARCHAR(64)   NOT NULL,
  dedup_key    VARCHAR(255)  NULL,
  payload      LONGTEXT      NOT NULL,
  status       VARCHAR(16)   NOT NULL,
  attempts     INT           NOT NULL DEFAULT 0,
  max_attempts INT           NOT NULL,
  run_at       DATETIME(6)   NOT NULL,
  locked_by    VARCHAR(100)  NULL,
  locked_until DATETIME(6)   NULL,
  last_error   VARCHAR(2000) NULL,
  inbox_id     BIGINT        NULL,
  created_at   DATETIME(6)   NOT NULL,
  updated_at   DATETIME(6)   NOT NULL,
  version      BIGINT        NOT NULL DEFAULT 0,
  CONSTRAINT uq_job_type_key UNIQUE (type, dedup_key),
  CONSTRAINT fk_job_inbox FOREIGN KEY (inbox_id) REFERENCES inbox_message (id),
  INDEX ix_job_due (status, run_at, id),
  INDEX ix_job_lease (status, locked_until)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
