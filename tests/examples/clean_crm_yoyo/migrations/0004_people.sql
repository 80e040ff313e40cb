-- contacts is renamed people. The old app still reads and writes "contacts" for a
-- release: a view of that name, with INSTEAD OF triggers, keeps it working.
-- depends: 0003_contact_tags

ALTER TABLE contacts RENAME TO people;
DROP INDEX contacts_company_id_idx;
CREATE INDEX people_company_id_idx ON people(company_id);
CREATE VIEW contacts AS
SELECT id, company_id, email, name, tags, deleted FROM people;
CREATE TRIGGER contacts_insert INSTEAD OF INSERT ON contacts
BEGIN
    INSERT INTO people (id, company_id, email, name, tags, deleted)
    VALUES (new.id, new.company_id, new.email, new.name, coalesce(new.tags, ''), coalesce(new.deleted, 0));
END;
CREATE TRIGGER contacts_update INSTEAD OF UPDATE ON contacts
BEGIN
    UPDATE people
    SET company_id = new.company_id, email = new.email, name = new.name, tags = new.tags,
        deleted = new.deleted
    WHERE id = old.id;
END;
CREATE TRIGGER contacts_delete INSTEAD OF DELETE ON contacts
BEGIN
    DELETE FROM people WHERE id = old.id;
END;
