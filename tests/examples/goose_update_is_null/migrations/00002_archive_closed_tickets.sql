-- Clean twin of goose_update_equals_null: the data fix tests closed_at with IS NOT NULL,
-- and the open tickets it leaves alone are named with = 'open'.
-- +goose Up
UPDATE tickets SET status = 'archived' WHERE status = 'open' AND closed_at IS NOT NULL;

-- +goose Down
UPDATE tickets SET status = 'open' WHERE status = 'archived';
