-- 1C objects known to have changed but not read yet (package onec): found by the DataVersion scan or carried by an
-- exchange plan's message (stored before the message is acknowledged), or held because a reference they need
-- could not be read (1C refused it). Each pull, scan or exchange reads them by Ref_Key and deletes the row once
-- the object is stored (or 1C no longer shows it).
CREATE TABLE onec_pending (
  kind        VARCHAR(16)   NOT NULL,   -- COUNTERPARTY, RECLAMATION
  ref         VARCHAR(64)   NOT NULL,   -- the 1C Ref_Key (lower case)
  source      VARCHAR(16)   NOT NULL,   -- SCAN, PLAN, PULL (held by the pull)
  reason      VARCHAR(2000) NULL,       -- why it is held, when it is
  created_at  DATETIME(6)   NOT NULL,
  updated_at  DATETIME(6)   NOT NULL,
  PRIMARY KEY (kind, ref)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where the exchange with each exchange plan node stands (ONEC_EXCHANGE_PLAN / ONEC_EXCHANGE_NODE): the number of
-- the last message acknowledged with NotifyChangesReceived; the next SelectChanges asks for the one after it.
CREATE TABLE onec_exchange_node (
  plan_node     VARCHAR(255)  NOT NULL PRIMARY KEY,   -- ExchangePlan_<name>:<node code>
  acked_no      BIGINT        NOT NULL DEFAULT 0,
  last_error    VARCHAR(2000) NULL,
  acked_at      DATETIME(6)   NULL,
  updated_at    DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
