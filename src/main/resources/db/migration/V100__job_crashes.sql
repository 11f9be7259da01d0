-- Takeovers of a job whose worker stopped during the run (its lease ran out, or its replica restarted) without the
-- run ever ending; reset when a run ends. At jobs.max-crashes the job is dead-lettered: it keeps killing its worker.
ALTER TABLE job ADD COLUMN crashes INT NOT NULL DEFAULT 0;
