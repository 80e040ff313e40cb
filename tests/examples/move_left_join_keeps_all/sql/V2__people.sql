-- Clean twin of move_join_drops_unmatched: LEFT JOIN copies every contact.
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, company_name TEXT);
INSERT INTO people (id, name, company_name) SELECT c.id, c.name, co.name FROM contacts c LEFT JOIN companies co ON co.id = c.company_id;
DROP TABLE contacts;
