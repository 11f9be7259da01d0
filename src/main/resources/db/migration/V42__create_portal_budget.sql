-- The portal's per-method execution-time budgets as every replica sees them: what the portal last reported, the
-- calls in flight (with when an unsettled one stops counting) and the pacing, so replicas never together overdraw a
-- method. Times are epoch milliseconds, as the portal's operating_reset_at is wall-clock time.
CREATE TABLE portal_budget (
  method                 VARCHAR(100) NOT NULL PRIMARY KEY,
  operating              DOUBLE       NOT NULL DEFAULT 0,
  reset_at_ms            BIGINT       NOT NULL DEFAULT 0,
  cost                   DOUBLE       NULL,
  in_flight              DOUBLE       NOT NULL DEFAULT 0,
  in_flight_until_ms     BIGINT       NOT NULL DEFAULT 0,
  next_at_ms             BIGINT       NOT NULL DEFAULT 0,
  blocked                BOOLEAN      NOT NULL DEFAULT FALSE,
  probing                BOOLEAN      NOT NULL DEFAULT FALSE,
  probing_until_ms       BIGINT       NOT NULL DEFAULT 0,
  known                  BOOLEAN      NOT NULL DEFAULT FALSE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
