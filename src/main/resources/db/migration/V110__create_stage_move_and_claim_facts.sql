-- Every stage entry of a deal, as the service saw it happen (source SEEN) or as the portal's own stage history
-- (crm.stagehistory.list) tells it for times the service did not see (source HISTORY). The stay in to_stage lasts
-- from moved_at to left_at (the next move's time; NULL while the deal is still there).
-- mover: USER (a person in the portal, user_id), SERVICE (the process engine; reason names the rule, the
-- required-field bounce or the time-in-stage close), ONEC (a 1C status), ROBOT (the portal's automation, no user),
-- INTAKE (created by the service from a dealer claim), PORTAL (the portal's history, no actor known).
CREATE TABLE stage_move (
  id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  deal_id     BIGINT        NOT NULL,
  category_id INT           NOT NULL,
  from_stage  VARCHAR(64)   NULL,
  to_stage    VARCHAR(64)   NOT NULL,
  moved_at    DATETIME(6)   NOT NULL,
  left_at     DATETIME(6)   NULL,
  mover       VARCHAR(16)   NOT NULL,
  user_id     BIGINT        NULL,
  reason      VARCHAR(500)  NULL,
  source      VARCHAR(8)    NOT NULL,
  history_id  BIGINT        NULL,
  CONSTRAINT uq_stage_move_history UNIQUE (history_id),
  INDEX ix_stage_move_deal (deal_id, moved_at),
  INDEX ix_stage_move_left (left_at, category_id, to_stage, moved_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A stage move the service is about to make (written before crm.deal.update), so the change it then sees, from its
-- own read or from the portal's event, is recorded with the service as the mover and the reason.
CREATE TABLE stage_move_intent (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  deal_id    BIGINT       NOT NULL,
  to_stage   VARCHAR(64)  NOT NULL,
  mover      VARCHAR(16)  NOT NULL,
  reason     VARCHAR(500) NULL,
  created_at DATETIME(6)  NOT NULL,
  INDEX ix_stage_move_intent_deal (deal_id, to_stage, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per claim (deal of the process) for the board's analytics: kept current from every read of the deal
-- (stage, manager) and filled from the service's own tables (dealer, received, decision, items).
CREATE TABLE claim_fact (
  deal_id          BIGINT        NOT NULL PRIMARY KEY,
  category_id      INT           NOT NULL,
  stage_id         VARCHAR(64)   NOT NULL,
  semantic         CHAR(1)       NOT NULL,        -- P open, S won, F lost
  stage_entered_at DATETIME(6)   NOT NULL,
  manager_id       BIGINT        NULL,
  channel          VARCHAR(8)    NULL,            -- DEALER, ONEC, MANUAL; NULL until the sources are read
  dealer_inn       VARCHAR(12)   NULL,
  dealer_name      VARCHAR(255)  NULL,
  received_at      DATETIME(6)   NOT NULL,
  decided_at       DATETIME(6)   NULL,
  decision         VARCHAR(16)   NULL,            -- approved, rejected, partial (the decision e-mail)
  sources_done     BOOLEAN       NOT NULL DEFAULT FALSE,
  updated_at       DATETIME(6)   NOT NULL,
  INDEX ix_claim_fact_open (semantic, stage_id, stage_entered_at),
  INDEX ix_claim_fact_received (received_at),
  INDEX ix_claim_fact_decided (decided_at),
  INDEX ix_claim_fact_pending (sources_done, updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The claimed goods of each claim (dealer items or 1C lines), for defects by product.
CREATE TABLE claim_item_fact (
  deal_id      BIGINT         NOT NULL,
  line         INT            NOT NULL,
  sku          VARCHAR(128)   NOT NULL,
  product_name VARCHAR(500)   NOT NULL,
  quantity     DECIMAL(15,3)  NOT NULL,
  received_at  DATETIME(6)    NOT NULL,
  PRIMARY KEY (deal_id, line),
  INDEX ix_claim_item_received (received_at, sku)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Overdue tasks per manager on the board.
CREATE INDEX ix_tracked_task_responsible ON tracked_task (status, responsible_id, deadline);
