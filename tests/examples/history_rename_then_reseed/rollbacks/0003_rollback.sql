-- Defect: drops the column but leaves the renamed role behind, so the seed of 0002 no
-- longer recognises it; re-running 0002 after this rollback seeds a second admin role.
ALTER TABLE roles DROP COLUMN label;
