-- Migration number: 0007 	 2025-03-31T09:00:00.000Z
-- Due dates become Unix seconds. A task without a due date keeps none; every stored date
-- parses (the CHECK on due), so strftime never turns one into NULL.
ALTER TABLE tasks ADD COLUMN due_at INTEGER;
UPDATE tasks SET due_at = CAST(strftime('%s', due) AS INTEGER) WHERE due IS NOT NULL;
ALTER TABLE tasks DROP COLUMN due;
CREATE INDEX tasks_due_at ON tasks(due_at) WHERE due_at IS NOT NULL;
