-- Closed warehouses stay for the records; an open warehouse's name is unique. Names
-- shared today are closed, all but the first, before the index is built.
ALTER TABLE warehouses ADD COLUMN closed_at INTEGER;
UPDATE warehouses SET closed_at = 0
WHERE id NOT IN (SELECT MIN(id) FROM warehouses GROUP BY name);
CREATE UNIQUE INDEX warehouses_name_open ON warehouses(name) WHERE closed_at IS NULL;
