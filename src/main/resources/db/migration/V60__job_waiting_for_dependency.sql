-- A job stopped by an unavailable dependency (portal, 1C, SMTP) waits for it without spending an attempt:
-- waiting_for names the dependency; when its probe answers again every job waiting for it is released at once.
ALTER TABLE job ADD COLUMN waiting_for VARCHAR(16) NULL AFTER last_error;
CREATE INDEX ix_job_waiting ON job (waiting_for, status, id);
