ALTER TABLE users ADD COLUMN email TEXT;
UPDATE users SET email = (SELECT e.email FROM user_emails AS e WHERE e.user_id = users.id);
DROP TABLE user_emails;
