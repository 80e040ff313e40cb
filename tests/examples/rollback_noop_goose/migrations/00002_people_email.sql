-- +goose Up
ALTER TABLE people ADD COLUMN email TEXT;

-- +goose Down
-- Planted defect: a placeholder down that runs and changes nothing.
SELECT 1;
