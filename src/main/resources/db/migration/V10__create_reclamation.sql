-- Dealer intakes, stored before they are acknowledged. The dealer's token is kept as a hash only; a repeat with
-- the same Idempotency-Key or the same dealer claim id from the same token finds the first row.
CREATE TABLE reclamation (
  id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash      CHAR(64)      NOT NULL,
  dealer_claim_id VARCHAR(64)   NOT NULL,
  idempotency_key VARCHAR(255)  NULL,
  inn             VARCHAR(12)   NOT NULL,
  request_json    LONGTEXT      NOT NULL,
  status          VARCHAR(16)   NOT NULL,
  claimed_until   DATETIME(6)   NULL,
  claims          INT           NOT NULL DEFAULT 0,
  rows_done       BOOLEAN       NOT NULL DEFAULT FALSE,
  comment_done    BOOLEAN       NOT NULL DEFAULT FALSE,
  company_id      BIGINT        NULL,
  contact_id      BIGINT        NULL,
  deal_id         BIGINT        NULL,
  stage_id        VARCHAR(64)   NULL,
  stage_name      VARCHAR(255)  NULL,
  decision        VARCHAR(255)  NULL,
  stage_read_at   DATETIME(6)   NULL,
  last_error      VARCHAR(2000) NULL,
  created_at      DATETIME(6)   NOT NULL,
  updated_at      DATETIME(6)   NOT NULL,
  version         BIGINT        NOT NULL DEFAULT 0,
  CONSTRAINT uq_reclamation_claim UNIQUE (token_hash, dealer_claim_id),
  CONSTRAINT uq_reclamation_idem UNIQUE (token_hash, idempotency_key),
  INDEX ix_reclamation_pending (status, claimed_until, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Dealers already found or created in the portal, by INN: later intakes skip the portal lookups, and one
-- dealer is never created twice.
CREATE TABLE dealer_party (
  inn         VARCHAR(12)  NOT NULL PRIMARY KEY,
  company_id  BIGINT       NOT NULL,
  contact_id  BIGINT       NULL,
  email       VARCHAR(255) NULL,
  updated_at  DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- While a group of intakes creates a new dealer in the portal, other groups leave that dealer's intakes alone.
CREATE TABLE dealer_lease (
  inn        VARCHAR(12)  NOT NULL PRIMARY KEY,
  owner      VARCHAR(64)  NOT NULL,
  until      DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
