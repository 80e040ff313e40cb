-- Planted defect: the data fix compares with NULL using `!=`. closed_at != NULL is NULL on
-- every row, so the UPDATE applies and archives nothing: every closed ticket stays 'open'
-- in production. (IS NOT NULL was meant; see goose_update_is_null.)
-- +goose Up
UPDATE tickets SET status = 'archived' WHERE status = 'open' AND closed_at != NULL;

-- +goose Down
UPDATE tickets SET status = 'open' WHERE status = 'archived';
