-- Migration number: 0007 	 2025-03-31T09:00:00.000Z
-- Due dates become Unix seconds. A task without a due date keeps none; every stored date
-- is a plain date (the CHECK on due: IS, as = would let any text through, date() of
-- it being NULL), so strftime gives each its own number.
ALTER TABLE tasks ADD COLUMN due_at INTEGER;
UPDATE tasks SET due_at = CAST(strftime('%s', due) AS INTEGER) WHERE due IS NOT NULL;
ALTER TABLE tasks DROP COLUMN due;
CREATE INDEX tasks_due_at ON tasks(due_at) WHERE due_at IS NOT NULL;
