CREATE TABLE user_emails (
    user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users(id),
    email TEXT NOT NULL
);
INSERT INTO user_emails (user_id, email) SELECT id, email FROM users WHERE email IS NOT NULL;
ALTER TABLE users DROP COLUMN email;
