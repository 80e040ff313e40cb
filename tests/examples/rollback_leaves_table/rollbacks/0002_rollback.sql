-- Planted defect: drops the index, forgets the table; applying 0002 again then fails
-- on its CREATE TABLE.
DROP INDEX IF EXISTS idx_sessions_user;
