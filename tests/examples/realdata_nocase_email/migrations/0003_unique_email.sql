-- Pending in production. Planted defect (real data only): two customers signed up with
-- e-mails that differ only in letter case; generated e-mails never do, so only the
-- production copy shows that this index cannot be built.
CREATE UNIQUE INDEX IF NOT EXISTS users_email_nocase ON users (email COLLATE NOCASE);
