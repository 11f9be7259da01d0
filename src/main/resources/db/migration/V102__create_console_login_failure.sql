-- Failed console logins per client address, shared by the replicas (the limit holds for the cluster, not per
-- replica); rows older than the window are deleted as new failures arrive.
CREATE TABLE console_login_failure (
  id        BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  address   VARCHAR(64) NOT NULL,
  failed_at DATETIME(6) NOT NULL,
  KEY ix_console_login_failure_address (address, failed_at),
  KEY ix_console_login_failure_at (failed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
