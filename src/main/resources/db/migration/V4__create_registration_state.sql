-- What the service last registered with the portal (robots: a hash of the definition sent), so a second
-- reconciliation can tell "unchanged" without the portal, whose bizproc.robot.list returns codes only.
CREATE TABLE registration_state (
  kind        VARCHAR(32)  NOT NULL,
  code        VARCHAR(128) NOT NULL,
  fingerprint VARCHAR(64)  NOT NULL,
  updated_at  DATETIME(6)  NOT NULL,
  PRIMARY KEY (kind, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
