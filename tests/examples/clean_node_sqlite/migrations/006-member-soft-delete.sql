-- Up
-- Members are archived, not deleted; a live member's email is unique. Members sharing an
-- email today are archived, all but the first, before the index is built.
ALTER TABLE members ADD COLUMN archived_at INTEGER;
UPDATE members SET archived_at = 0
WHERE id NOT IN (SELECT MIN(id) FROM members GROUP BY email);
CREATE UNIQUE INDEX members_email_live ON members (email) WHERE archived_at IS NULL;

-- Down
DROP INDEX members_email_live;
ALTER TABLE members DROP COLUMN archived_at;
