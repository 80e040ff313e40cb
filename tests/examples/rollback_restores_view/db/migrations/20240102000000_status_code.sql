-- migrate:up
DROP VIEW open_orders;
ALTER TABLE orders ADD COLUMN note TEXT;

-- migrate:down
-- Clean twin of rollback_forgets_view: the view comes back as it was.
ALTER TABLE orders DROP COLUMN note;
CREATE VIEW open_orders AS SELECT id, total FROM orders WHERE status = 'open';
