DROP VIEW IF EXISTS stock_levels;
CREATE VIEW stock_levels AS
SELECT p.sku, p.name, w.code AS warehouse, s.qty
FROM stock AS s
JOIN products AS p ON p.id = s.product_id
JOIN warehouses AS w ON w.id = s.warehouse_id;
