-- Planted defect: users.handle is only added by 0003.
CREATE UNIQUE INDEX IF NOT EXISTS idx_users_handle ON users(handle);
