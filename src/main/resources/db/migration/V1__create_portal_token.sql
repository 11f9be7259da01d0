-- OAuth tokens of the installed local application (OAuth mode); one row per portal.
CREATE TABLE portal_token (
  member_id         VARCHAR(64)  NOT NULL PRIMARY KEY,
  domain            VARCHAR(255),
  client_endpoint   VARCHAR(500) NOT NULL,
  access_token      VARCHAR(500),
  refresh_token     VARCHAR(500),
  expires_at        DATETIME(6),
  application_token VARCHAR(255),
  updated_at        DATETIME(6)  NOT NULL,
  version           BIGINT       NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
