-- Verify tickets:schema on sqlite

BEGIN;

SELECT id, name, city FROM venues WHERE 0;
SELECT id, venue_id, title, starts_at, capacity FROM events WHERE 0;
SELECT id, event_id, holder_email, price_cents, sold_at FROM tickets WHERE 0;
SELECT id, event_id, holder_email, reason, issued_at FROM comp_tickets WHERE 0;

ROLLBACK;
