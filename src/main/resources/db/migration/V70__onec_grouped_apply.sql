-- Grouped 1C apply (issue #17). A job applies its own objects together with other objects waiting for the same
-- kind, so they share portal calls: apply_waiting marks objects with a received version not applied yet and not
-- failed (a failed one is retried by its own job only); portal_requested is set before a call that may create
-- their company or deal goes, so the next attempt looks them up first when that call's answer was lost.
ALTER TABLE onec_object
  ADD COLUMN apply_waiting     BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN portal_requested  BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE onec_object SET apply_waiting = TRUE
 WHERE received_exchange_id IS NOT NULL AND (applied_exchange_id IS NULL OR applied_exchange_id <> received_exchange_id);

CREATE INDEX ix_onec_object_waiting ON onec_object (kind, apply_waiting, received_exchange_id);
