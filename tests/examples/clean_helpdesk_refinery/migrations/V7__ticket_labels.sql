-- labels arrive from the mail gateway as a JSON array; the lookup table is what the
-- filters use, the array stays as received
ALTER TABLE tickets ADD COLUMN labels TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels));

CREATE TABLE ticket_labels (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    label     TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (ticket_id, label)
) WITHOUT ROWID;
CREATE INDEX ticket_labels_label ON ticket_labels(label);

INSERT OR IGNORE INTO ticket_labels (ticket_id, label)
SELECT t.id, trim(j.value)
FROM tickets AS t, json_each(t.labels) AS j
WHERE j.type = 'text' AND trim(j.value) <> '';
