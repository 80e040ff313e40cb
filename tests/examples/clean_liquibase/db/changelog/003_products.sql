--liquibase formatted sql

--changeset maria:6
--comment: the brand, kept in attributes so far, gets a column (attributes keep it too)
ALTER TABLE products ADD COLUMN brand TEXT;
UPDATE products SET brand = json_extract(attributes, '$.brand')
WHERE json_type(attributes, '$.brand') = 'text';
--rollback ALTER TABLE products DROP COLUMN brand;

--changeset maria:7
CREATE INDEX ix_products_brand ON products(brand) WHERE brand IS NOT NULL;
--rollback DROP INDEX ix_products_brand;

--changeset maria:8
CREATE VIEW product_stock AS
SELECT p.id, p.sku, p.name, COALESCE(SUM(l.on_hand), 0) AS on_hand
FROM products AS p
LEFT JOIN stock_levels AS l ON l.product_id = p.id
GROUP BY p.id, p.sku, p.name;
--rollback DROP VIEW product_stock;

--changeset maria:9
ALTER TABLE products ADD COLUMN price_label TEXT
    GENERATED ALWAYS AS (printf('%d.%02d', price_cents / 100, price_cents % 100)) VIRTUAL;
--rollback ALTER TABLE products DROP COLUMN price_label;
