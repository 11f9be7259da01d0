-- Actions taken in the operations console (replay, pull now, re-register, resend): who, from where, when, on what,
-- and what came of it. The console lists the recent ones; the log has a line for each as well.
CREATE TABLE console_action (
  id        BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at        DATETIME(6)   NOT NULL,
  who       VARCHAR(100)  NOT NULL,
  address   VARCHAR(64)   NOT NULL,
  action    VARCHAR(32)   NOT NULL,
  target    VARCHAR(200)  NULL,
  outcome   VARCHAR(500)  NULL,
  INDEX ix_console_action_at (at),
  INDEX ix_console_action_target (target)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
