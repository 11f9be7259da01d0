-- Coordination between replicas sharing this database.
-- scheduled_run: a periodic scan starts only where it wins the row for the period (one run per period).
CREATE TABLE scheduled_run (
  name        VARCHAR(64)  NOT NULL PRIMARY KEY,
  last_run_at DATETIME(6)  NOT NULL,
  owner       VARCHAR(100) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- rate_schedule: the portal's leaky bucket mirrored once for all replicas (GCRA "theoretical arrival time",
-- microseconds of the database clock), so N replicas together keep the portal's rate, not N times it.
CREATE TABLE rate_schedule (
  name       VARCHAR(64) NOT NULL PRIMARY KEY,
  tat_micros BIGINT      NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO rate_schedule (name, tat_micros) VALUES ('portal', 0);
