-- Every book is shelved at a branch: all of them at 'main' so far.
-- +goose Up
ALTER TABLE books ADD COLUMN branch_id INTEGER REFERENCES branches(id);
UPDATE books SET branch_id = (SELECT id FROM branches WHERE code = 'main') WHERE branch_id IS NULL;
CREATE INDEX books_branch_id_idx ON books(branch_id);

-- +goose Down
DROP INDEX books_branch_id_idx;
ALTER TABLE books DROP COLUMN branch_id;
