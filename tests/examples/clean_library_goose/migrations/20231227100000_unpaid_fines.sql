-- What each member owes.
-- +goose Up
CREATE VIEW member_unpaid_fines AS
SELECT c.member_id, SUM(f.amount_cents) AS owed_cents
FROM fines AS f
JOIN checkouts AS c ON c.id = f.checkout_id
WHERE f.paid = 0
GROUP BY c.member_id;

-- +goose Down
DROP VIEW member_unpaid_fines;
