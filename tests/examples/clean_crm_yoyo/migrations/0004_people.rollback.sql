DROP TRIGGER contacts_delete;
DROP TRIGGER contacts_update;
DROP TRIGGER contacts_insert;
DROP VIEW contacts;
DROP INDEX people_company_id_idx;
ALTER TABLE people RENAME TO contacts;
CREATE INDEX contacts_company_id_idx ON contacts(company_id);
