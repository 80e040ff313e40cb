-- The domain of a member's email, for the reports by organisation.
-- +goose Up
ALTER TABLE members ADD COLUMN email_domain TEXT
    GENERATED ALWAYS AS (lower(substr(email, instr(email, '@') + 1))) VIRTUAL;
CREATE INDEX members_email_domain_idx ON members(email_domain);

-- +goose Down
DROP INDEX members_email_domain_idx;
ALTER TABLE members DROP COLUMN email_domain;
