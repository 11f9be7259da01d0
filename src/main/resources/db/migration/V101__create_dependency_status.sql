-- What the last dependency probe found, shared by the replicas: one replica probes per round (a scheduled_run
-- lease), the others adopt its finding, so an outage is probed once for the cluster, not once per replica.
CREATE TABLE dependency_status (
  name       VARCHAR(16)  NOT NULL PRIMARY KEY,
  down_since DATETIME(6)  NULL,
  reason     VARCHAR(500) NULL,
  checked_at DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
