-- Clean twin of move_join_drops_unmatched: each row goes to one of two tables.
CREATE TABLE active_contacts (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE archived_contacts (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO active_contacts (id, name) SELECT id, name FROM contacts WHERE archived = 0;
INSERT INTO archived_contacts (id, name) SELECT id, name FROM contacts WHERE archived <> 0;
DROP TABLE contacts;
