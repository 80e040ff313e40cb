-- Planted defect: the rebuild that drops users.age copies only the users who gave an age;
-- one user without one is lost. Nothing else of the set is involved, so the minimal example
-- holds one users row and no row of the four other tables.
CREATE TABLE users_old (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE
);
INSERT INTO users_old (id, email) SELECT id, email FROM users WHERE age IS NOT NULL;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
