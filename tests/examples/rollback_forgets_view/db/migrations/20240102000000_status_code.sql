-- migrate:up
DROP VIEW open_orders;
ALTER TABLE orders ADD COLUMN note TEXT;

-- migrate:down
-- Planted defect: the view the up dropped is never re-created.
ALTER TABLE orders DROP COLUMN note;
