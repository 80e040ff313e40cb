-- Verify tickets:venue_name_key on sqlite

BEGIN;

SELECT 1 / COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'venues';

ROLLBACK;
