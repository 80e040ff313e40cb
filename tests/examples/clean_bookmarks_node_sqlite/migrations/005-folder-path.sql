--------------------------------------------------------------------------------
-- Up
--------------------------------------------------------------------------------

-- folders get a unique name among their siblings: clashing names get the folder's id
UPDATE folders SET name = trim(name) WHERE name <> trim(name);
UPDATE folders
SET name = name || ' (' || id || ')'
WHERE id NOT IN (
  SELECT MIN(id) FROM folders GROUP BY coalesce(parent_id, 0), name COLLATE NOCASE
);
CREATE UNIQUE INDEX folders_sibling_name ON folders(coalesce(parent_id, 0), name COLLATE NOCASE);

--------------------------------------------------------------------------------
-- Down
--------------------------------------------------------------------------------

DROP INDEX folders_sibling_name;
