-- Data migration: the role gets its display name.
ALTER TABLE roles ADD COLUMN label TEXT;
UPDATE roles SET name = 'administrator', label = 'Administrator' WHERE name = 'admin';
