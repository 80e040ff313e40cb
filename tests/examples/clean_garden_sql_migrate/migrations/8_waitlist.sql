-- +migrate Up
CREATE TABLE waitlist (
    email     TEXT NOT NULL COLLATE NOCASE,
    joined_on TEXT NOT NULL,
    wants_m2  REAL,
    PRIMARY KEY (email)
) WITHOUT ROWID;

-- +migrate Down
DROP TABLE waitlist;
