-- Planted defect: "restores" users by rebuilding it empty. The schema comes back exactly
-- (the rollback check passes) but every user row is lost (rollback_keeps_data fails).
DROP TABLE IF EXISTS tags;
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT
);
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
