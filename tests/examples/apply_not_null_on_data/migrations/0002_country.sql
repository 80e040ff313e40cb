-- Planted defect: NOT NULL without a DEFAULT. SQLite accepts it on an empty table (every
-- fresh test database) and refuses it as soon as users has a row (production).
ALTER TABLE users ADD COLUMN country TEXT NOT NULL;
