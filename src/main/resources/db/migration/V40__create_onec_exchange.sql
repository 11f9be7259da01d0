-- The 1C exchange (package onec). Every record 1C pushed or the pull read, every write back to 1C, and every
-- rejected record is a row of onec_exchange: the exchange log the admin API shows.
CREATE TABLE onec_exchange (
  id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  direction     VARCHAR(8)    NOT NULL,   -- PUSH (1C called us), PULL (we read OData), WRITE (we PATCHed 1C)
  kind          VARCHAR(16)   NOT NULL,   -- COUNTERPARTY, RECLAMATION
  ref           VARCHAR(64)   NULL,       -- the 1C Ref_Key (lower case); null when the record had no valid one
  data_version  VARCHAR(128)  NULL,       -- 1C DataVersion, or a hash of the record when 1C sent none
  number        VARCHAR(255)  NULL,       -- document number or counterparty name, for people reading the log
  status        VARCHAR(12)   NOT NULL,   -- RECEIVED, APPLIED, SUPERSEDED, IGNORED, REJECTED, FAILED, PENDING, SENT
  deal_id       BIGINT        NULL,
  company_id    BIGINT        NULL,
  payload       LONGTEXT      NULL,       -- the record as applied (or as received, when rejected)
  error         VARCHAR(4000) NULL,
  created_at    DATETIME(6)   NOT NULL,
  updated_at    DATETIME(6)   NOT NULL,
  INDEX ix_onec_exchange_version (kind, ref, data_version),
  INDEX ix_onec_exchange_status (status, id),
  INDEX ix_onec_exchange_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per 1C object the service knows: its portal record (company or deal), the newest version received
-- and the version applied. Applying takes the row's lease, so one object is applied by one worker at a time.
CREATE TABLE onec_object (
  kind                 VARCHAR(16)  NOT NULL,
  ref                  VARCHAR(64)  NOT NULL,
  portal_id            BIGINT       NULL,     -- company id (COUNTERPARTY) or deal id (RECLAMATION)
  company_id           BIGINT       NULL,
  contact_id           BIGINT       NULL,
  comment_done         BOOLEAN      NOT NULL DEFAULT FALSE,
  received_exchange_id BIGINT       NULL,
  applied_exchange_id  BIGINT       NULL,
  payload              LONGTEXT     NULL,     -- newest version received (pulled documents read counterparties here)
  lease_owner          VARCHAR(64)  NULL,
  lease_until          DATETIME(6)  NULL,
  created_at           DATETIME(6)  NOT NULL,
  updated_at           DATETIME(6)  NOT NULL,
  PRIMARY KEY (kind, ref),
  INDEX ix_onec_object_portal (kind, portal_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where the scheduled pull of each OData entity set stands. A run pages with $skip; next_skip is written in the
-- transaction that stores a page, so a run cut off by an outage resumes at the first page not stored, with the
-- same window (run_since). A complete run moves since forward to the newest document date it saw.
CREATE TABLE onec_watermark (
  entity_set     VARCHAR(255) NOT NULL PRIMARY KEY,
  since          DATETIME(6)  NULL,   -- 1C local time (1C dates carry no zone)
  run_since      DATETIME(6)  NULL,
  next_skip      INT          NOT NULL DEFAULT 0,
  max_seen       DATETIME(6)  NULL,
  last_error     VARCHAR(2000) NULL,
  completed_at   DATETIME(6)  NULL,
  updated_at     DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
