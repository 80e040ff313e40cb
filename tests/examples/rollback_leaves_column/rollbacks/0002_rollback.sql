-- Planted defect: drops the index, forgets the column.
DROP INDEX IF EXISTS idx_users_nickname;
