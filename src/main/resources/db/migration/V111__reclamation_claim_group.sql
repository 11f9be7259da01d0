-- The group that holds a claim (with claimed_until). A group lets go of its claims by this token alone, so a release
-- made late (the database missed it) or after a claim whose answer was lost never frees another group's claims.
-- Nullable without a default, and an index built online: neither locks a large table for long.
ALTER TABLE reclamation ADD COLUMN claim_group CHAR(36) NULL;
CREATE INDEX ix_reclamation_claim_group ON reclamation (claim_group);
