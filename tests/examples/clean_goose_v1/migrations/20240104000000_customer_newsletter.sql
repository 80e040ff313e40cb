-- meta.newsletter becomes a column of its own.
-- +goose Up
ALTER TABLE customers ADD COLUMN newsletter INTEGER NOT NULL DEFAULT 0 CHECK (newsletter IN (0, 1));
UPDATE customers
SET newsletter = CASE WHEN json_extract(meta, '$.newsletter') IN (1, 'yes', 'true') THEN 1 ELSE 0 END
WHERE json_type(meta, '$.newsletter') IS NOT NULL;
UPDATE customers SET meta = json_remove(meta, '$.newsletter')
WHERE json_type(meta, '$.newsletter') IS NOT NULL;

-- +goose Down
UPDATE customers SET meta = json_set(meta, '$.newsletter', json(CASE newsletter WHEN 1 THEN 'true' ELSE 'false' END));
ALTER TABLE customers DROP COLUMN newsletter;
