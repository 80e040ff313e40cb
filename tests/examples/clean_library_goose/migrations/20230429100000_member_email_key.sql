-- One member per email, ignoring case: a later duplicate's loans move to the
-- oldest member with that email, then the duplicates go.
-- +goose Up
UPDATE loans
SET member_id = (
    SELECT MIN(keep.id) FROM members AS dup
    JOIN members AS keep ON keep.email = dup.email COLLATE NOCASE
    WHERE dup.id = loans.member_id
)
WHERE member_id IN (
    SELECT m.id FROM members AS m
    WHERE EXISTS (
        SELECT 1 FROM members AS o WHERE o.email = m.email COLLATE NOCASE AND o.id < m.id
    )
);
DELETE FROM members
WHERE EXISTS (
    SELECT 1 FROM members AS o
    WHERE o.email = members.email COLLATE NOCASE AND o.id < members.id
);
CREATE UNIQUE INDEX members_email_key ON members(email COLLATE NOCASE);

-- +goose Down
DROP INDEX members_email_key;
