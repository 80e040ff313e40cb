-- Planted defect (rollback side): the table is called orders; without IF EXISTS the
-- typo fails, so this rollback always fails.
DROP INDEX IF EXISTS idx_orders_reference;
DROP TABLE order_items;
