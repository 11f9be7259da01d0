-- Set before a batch carrying the claim's crm.deal.add is sent: only such a claim can have a deal whose answer was
-- lost, so only it is looked up by ORIGIN_ID before the next attempt (a lookup costs the portal's time budget).
ALTER TABLE reclamation ADD COLUMN deal_requested BOOLEAN NOT NULL DEFAULT FALSE AFTER deal_id;
-- claims stored before this column existed may have been sent already
UPDATE reclamation SET deal_requested = TRUE WHERE claims > 0;
