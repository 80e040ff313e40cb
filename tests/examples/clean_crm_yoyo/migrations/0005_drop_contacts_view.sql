-- Every reader uses people now: the compatibility view and its triggers go.
-- depends: 0004_people

DROP TRIGGER contacts_delete;
DROP TRIGGER contacts_update;
DROP TRIGGER contacts_insert;
DROP VIEW contacts;
