-- Robot runs that answer later: request_info waits until the colleague completes the task.
CREATE TABLE robot_wait (
  id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  inbox_id     BIGINT        NOT NULL,
  task_id      BIGINT        NOT NULL,
  deal_id      BIGINT        NOT NULL,
  ask_user     BIGINT        NOT NULL,
  question     TEXT          NOT NULL,
  status       VARCHAR(16)   NOT NULL,
  answer       TEXT          NULL,
  expires_at   DATETIME(6)   NULL,
  created_at   DATETIME(6)   NOT NULL,
  updated_at   DATETIME(6)   NOT NULL,
  version      BIGINT        NOT NULL DEFAULT 0,
  CONSTRAINT uq_robot_wait_inbox UNIQUE (inbox_id),
  CONSTRAINT fk_robot_wait_inbox FOREIGN KEY (inbox_id) REFERENCES inbox_message (id),
  INDEX ix_robot_wait_task (task_id),
  INDEX ix_robot_wait_open (status, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
