--liquibase formatted sql

--changeset ann:3 runOnChange:true
--comment: Planted defect: Liquibase runs this changeset again whenever it is edited,
--comment: and the view already exists then.
CREATE VIEW artist_names AS SELECT id, name FROM artists;
--rollback DROP VIEW artist_names;

--changeset ann:4 runAlways:true
--comment: Planted defect: runs on every update; the second one adds another row.
INSERT INTO settings (key, value) VALUES ('schema', '4');
--rollback DELETE FROM settings WHERE key = 'schema';
