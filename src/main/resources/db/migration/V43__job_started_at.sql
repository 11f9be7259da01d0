-- When a job was first claimed. A portal event may fold into an earlier delivery of the same key only while
-- that delivery's jobs have never started (issue #20): once a listener has read the entity, a later change
-- must get its own jobs. Rows that ran before this column existed count as started.
ALTER TABLE job ADD COLUMN started_at DATETIME(6) NULL;
UPDATE job SET started_at = updated_at WHERE status <> 'QUEUED' OR updated_at > created_at;
