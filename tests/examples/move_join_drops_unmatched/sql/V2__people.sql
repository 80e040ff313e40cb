-- Planted defect: the inner JOIN leaves out every contact without a (known) company, and
-- the DROP deletes them with contacts.
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, company_name TEXT);
INSERT INTO people (id, name, company_name) SELECT c.id, c.name, co.name FROM contacts c JOIN companies co ON co.id = c.company_id;
DROP TABLE contacts;
