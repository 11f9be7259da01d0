-- A batch reserved with event.offline.get (clear=0): the portal hides it from later calls under its process_id and
-- deletes it after 30 days. Kept here until cleared, so a restart re-reads the batch with the same process_id
-- instead of losing it.
CREATE TABLE offline_event_batch (
  process_id  VARCHAR(100) NOT NULL PRIMARY KEY,
  reserved_at DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
