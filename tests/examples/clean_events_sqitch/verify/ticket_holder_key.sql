-- Verify tickets:ticket_holder_key on sqlite

BEGIN;

SELECT refunded_at FROM tickets WHERE 0;

ROLLBACK;
