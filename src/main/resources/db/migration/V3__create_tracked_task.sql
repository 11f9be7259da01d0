-- Portal tasks the service created and follows (deadlines, escalation, robots waiting for an answer).
-- A row is written before the portal call, so a retried create finds it instead of creating a second task.
CREATE TABLE tracked_task (
  id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dedup_key        VARCHAR(255)  NOT NULL,
  tag              VARCHAR(64)   NOT NULL,
  task_id          BIGINT        NULL,
  deal_id          BIGINT        NULL,
  responsible_id   BIGINT        NOT NULL,
  title            VARCHAR(500)  NOT NULL,
  deadline         DATETIME(6)   NULL,
  status           VARCHAR(16)   NOT NULL,
  source           VARCHAR(64)   NOT NULL,
  escalation_level INT           NOT NULL DEFAULT 0,
  completed_at     DATETIME(6)   NULL,
  created_at       DATETIME(6)   NOT NULL,
  updated_at       DATETIME(6)   NOT NULL,
  version          BIGINT        NOT NULL DEFAULT 0,
  CONSTRAINT uq_tracked_task_key UNIQUE (dedup_key),
  CONSTRAINT uq_tracked_task_id UNIQUE (task_id),
  INDEX ix_tracked_task_open (status, deadline),
  INDEX ix_tracked_task_deal (deal_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
