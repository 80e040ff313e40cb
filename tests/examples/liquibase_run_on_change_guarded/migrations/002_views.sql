--liquibase formatted sql

--changeset ann:3 runOnChange:true
--comment: Re-run whenever edited: dropping the view first makes each run whole.
DROP VIEW IF EXISTS artist_names;
CREATE VIEW artist_names AS SELECT id, name FROM artists;
--rollback DROP VIEW artist_names;

--changeset ann:4 runAlways:true
--comment: Runs on every update and writes the same row each time.
INSERT INTO settings (key, value) VALUES ('schema', '4')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
--rollback DELETE FROM settings WHERE key = 'schema';
