-- Verify tickets:merge_comp_tickets on sqlite

BEGIN;

SELECT kind, comp_reason, legacy_comp_id FROM tickets WHERE 0;

ROLLBACK;
