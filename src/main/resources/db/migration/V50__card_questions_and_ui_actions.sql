-- Questions asked from the reclamation card go the request_info robot's way (a task for the colleague, the answer
-- back on the deal) but have no robot run: robot_wait gains the item asked about, who asked, and a key of its own.
ALTER TABLE robot_wait
  MODIFY inbox_id BIGINT NULL,
  ADD COLUMN item_index   INT          NULL AFTER deal_id,
  ADD COLUMN asked_by     BIGINT       NULL AFTER ask_user,
  ADD COLUMN question_key VARCHAR(255) NULL AFTER asked_by,
  ADD CONSTRAINT uq_robot_wait_question UNIQUE (question_key),
  ADD INDEX ix_robot_wait_deal (deal_id);

-- What people did in the card and on the board (ask, reassign, resend): one row per click, keyed by the form's
-- one-time nonce, written with the job that carries it out, so a second submit of the same form does nothing.
CREATE TABLE ui_action (
  id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  nonce          VARCHAR(64)   NOT NULL,
  deal_id        BIGINT        NOT NULL,
  action         VARCHAR(16)   NOT NULL,
  member_id      VARCHAR(64)   NOT NULL,
  user_id        BIGINT        NOT NULL,
  user_name      VARCHAR(255)  NULL,
  params         TEXT          NOT NULL,
  status         VARCHAR(16)   NOT NULL,   -- QUEUED, DONE, FAILED
  result         VARCHAR(2000) NULL,
  created_at     DATETIME(6)   NOT NULL,
  updated_at     DATETIME(6)   NOT NULL,
  CONSTRAINT uq_ui_action_nonce UNIQUE (nonce),
  INDEX ix_ui_action_deal (deal_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
