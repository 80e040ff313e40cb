-- Migration number: 0002 	 2025-01-20T09:00:00.000Z
-- "owner" became "lead" in the product; the index follows the column's new name.
ALTER TABLE projects RENAME COLUMN owner_id TO lead_id;
DROP INDEX projects_owner;
CREATE INDEX projects_lead ON projects(lead_id);
