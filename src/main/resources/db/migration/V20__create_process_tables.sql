-- Last stage the process engine saw per deal. A stage change is acted on once: the row is updated and the job
-- that carries out the stage's rules is queued in one transaction, keyed by the transition number. `stay` is
-- the number of the change that began the current stay (the key of its tasks and moves); a deal sent back by
-- the required-field guard resumes its earlier stay.
CREATE TABLE process_deal (
  deal_id           BIGINT       NOT NULL PRIMARY KEY,
  category_id       INT          NOT NULL,
  stage_id          VARCHAR(64)  NOT NULL,
  previous_stage_id VARCHAR(64)  NULL,
  transitions       INT          NOT NULL,
  stay              INT          NOT NULL,
  previous_stay     INT          NULL,
  entered_at        DATETIME(6)  NOT NULL,
  deal_modified_at  DATETIME(6)  NULL,
  updated_at        DATETIME(6)  NOT NULL,
  version           BIGINT       NOT NULL DEFAULT 0,
  INDEX ix_process_deal_stage (category_id, stage_id, entered_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Side effects already carried out (a notification, a timeline comment), so a retried job does not repeat them.
CREATE TABLE process_effect (
  effect_key VARCHAR(255) NOT NULL PRIMARY KEY,
  done_at    DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where the scan of recently modified deals stopped (the portal's DATE_MODIFY of the newest deal seen).
CREATE TABLE process_cursor (
  name       VARCHAR(64) NOT NULL PRIMARY KEY,
  value      VARCHAR(64) NOT NULL,
  updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
