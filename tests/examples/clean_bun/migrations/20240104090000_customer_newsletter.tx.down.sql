UPDATE customers SET meta = json_set(meta, '$.newsletter', json(CASE newsletter WHEN 1 THEN 'true' ELSE 'false' END));
ALTER TABLE customers DROP COLUMN newsletter;
