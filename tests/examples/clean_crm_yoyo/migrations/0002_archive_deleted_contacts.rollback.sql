INSERT INTO contacts (id, company_id, email, name, tags, deleted)
SELECT id, company_id, email, name, tags, 1 FROM archived_contacts;
DROP TABLE archived_contacts;
