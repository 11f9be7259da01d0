-- One row per run of a job that ended it or spent an attempt: done, failed (will retry), dead, skipped, or waiting
-- for a dependency. Routine deferrals (the portal's budget, a deadlock victim) are not recorded: they can repeat
-- many times and say nothing about the job. The console's job page lists them.
CREATE TABLE job_attempt (
  id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  job_id      BIGINT        NOT NULL,
  attempt     INT           NOT NULL,
  started_at  DATETIME(6)   NOT NULL,
  finished_at DATETIME(6)   NOT NULL,
  outcome     VARCHAR(16)   NOT NULL,
  detail      VARCHAR(1000) NULL,
  worker      VARCHAR(200)  NULL,
  INDEX ix_job_attempt_job (job_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
