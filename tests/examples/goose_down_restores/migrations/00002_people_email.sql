-- +goose Up
ALTER TABLE people ADD COLUMN email TEXT;

-- +goose Down
-- Clean twin of rollback_noop_goose: the down really removes the column.
ALTER TABLE people DROP COLUMN email;
