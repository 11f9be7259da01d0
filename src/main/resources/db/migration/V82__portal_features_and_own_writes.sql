-- What the portal's plan offers (feature.get: rest_auth_connector, rest_offline_extended), asked at install and
-- at start and kept here so every replica sends auth_connector only where the plan has it.
CREATE TABLE portal_feature (
  code        VARCHAR(64)  NOT NULL PRIMARY KEY,
  available   BOOLEAN      NOT NULL,
  checked_at  DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The service's own recent writes to a CRM record, so the event the write triggers (online, or offline without
-- auth_connector) is recognised as an echo and not processed as work. Rows are short-lived; one per record.
CREATE TABLE portal_own_write (
  entity      VARCHAR(32)  NOT NULL,
  entity_id   BIGINT       NOT NULL,
  sent_at     DATETIME(6)  NOT NULL,
  answered_at DATETIME(6)  NOT NULL,
  PRIMARY KEY (entity, entity_id),
  INDEX ix_portal_own_write_answered (answered_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The authorization server the portal named at install (auth[server_endpoint] / SERVER_ENDPOINT).
ALTER TABLE portal_token ADD COLUMN server_endpoint VARCHAR(500) NULL;
