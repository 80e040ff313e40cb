ALTER TABLE users ADD COLUMN email TEXT;
DROP TABLE user_emails;
