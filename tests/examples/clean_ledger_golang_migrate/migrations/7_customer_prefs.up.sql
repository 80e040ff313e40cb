-- Customer preferences as JSON, the locale read from them, and what each customer owes.
ALTER TABLE customers ADD COLUMN prefs TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(prefs));
ALTER TABLE customers ADD COLUMN locale TEXT
    GENERATED ALWAYS AS (coalesce(json_extract(prefs, '$.locale'), 'en')) VIRTUAL;
CREATE VIEW customer_balances AS
SELECT c.id AS customer_id, c.email, SUM(i.amount_cents - i.paid_cents) AS due_cents
FROM customers AS c
JOIN invoices AS i ON i.customer_id = c.id
WHERE i.status = 'open'
GROUP BY c.id, c.email;
