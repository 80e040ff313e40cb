-- Authors sort by a name of their own, first filled from the name.
-- +goose Up
ALTER TABLE authors ADD COLUMN sort_name TEXT;
UPDATE authors SET sort_name = lower(name) WHERE sort_name IS NULL;
CREATE INDEX authors_sort_name_idx ON authors(sort_name);

-- +goose Down
DROP INDEX authors_sort_name_idx;
ALTER TABLE authors DROP COLUMN sort_name;
