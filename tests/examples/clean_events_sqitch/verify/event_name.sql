-- Verify tickets:event_name on sqlite

BEGIN;

SELECT name FROM events WHERE 0;

ROLLBACK;
