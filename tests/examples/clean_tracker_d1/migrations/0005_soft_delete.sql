-- Migration number: 0005 	 2025-03-03T09:00:00.000Z
-- Soft delete: a deleted row keeps its email or project name, and only live rows must be
-- unique. Projects that already share a lead and a name are archived first, all but the
-- oldest, so the partial index can be built on any data.
ALTER TABLE users ADD COLUMN deleted_at TEXT;
DROP INDEX users_email;
CREATE UNIQUE INDEX users_email_live ON users(email) WHERE deleted_at IS NULL;

ALTER TABLE projects ADD COLUMN deleted_at TEXT;
UPDATE projects SET deleted_at = CURRENT_TIMESTAMP
WHERE id NOT IN (SELECT MIN(id) FROM projects GROUP BY lead_id, name);
CREATE UNIQUE INDEX projects_lead_name_live ON projects(lead_id, name)
WHERE deleted_at IS NULL;
