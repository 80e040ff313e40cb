-- Overdue runs read open checkouts by due date.
-- +goose Up
CREATE INDEX checkouts_open_due_on_idx ON checkouts(due_on) WHERE returned_on IS NULL;

-- +goose Down
DROP INDEX checkouts_open_due_on_idx;
