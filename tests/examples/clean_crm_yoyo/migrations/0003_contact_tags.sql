-- Tags get a table of their own: each comma-separated tag of a contact becomes a row
-- (spaces around it trimmed, empty pieces skipped). The text column stays for the old
-- app until 0005.
-- depends: 0002_archive_deleted_contacts

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag_idx ON contact_tags(tag);
WITH RECURSIVE pieces (contact_id, piece, rest) AS (
    SELECT id, '', tags || ',' FROM contacts
    UNION ALL
    SELECT contact_id, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
    FROM pieces
    WHERE rest <> ''
)
INSERT OR IGNORE INTO contact_tags (contact_id, tag)
SELECT contact_id, trim(piece) FROM pieces WHERE trim(piece) <> '';
