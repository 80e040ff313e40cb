-- A product has one stock row per warehouse. Where several exist, the oldest keeps the
-- total of their quantities and takes over their movements; the others go.
UPDATE stock
SET qty = (
    SELECT SUM(s.qty) FROM stock AS s
    WHERE s.product_id = stock.product_id AND s.warehouse_id = stock.warehouse_id
)
WHERE id IN (
    SELECT MIN(id) FROM stock GROUP BY product_id, warehouse_id HAVING COUNT(*) > 1
);
UPDATE stock_movements
SET stock_id = (
    SELECT MIN(keep.id) FROM stock AS dup
    JOIN stock AS keep ON keep.product_id = dup.product_id AND keep.warehouse_id = dup.warehouse_id
    WHERE dup.id = stock_movements.stock_id
)
WHERE stock_id NOT IN (SELECT MIN(id) FROM stock GROUP BY product_id, warehouse_id);
DELETE FROM stock WHERE id NOT IN (SELECT MIN(id) FROM stock GROUP BY product_id, warehouse_id);
CREATE UNIQUE INDEX stock_product_warehouse_key ON stock(product_id, warehouse_id);
