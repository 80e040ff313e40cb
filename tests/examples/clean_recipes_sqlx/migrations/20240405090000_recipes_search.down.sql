DROP TRIGGER recipes_fts_update;
DROP TRIGGER recipes_fts_delete;
DROP TRIGGER recipes_fts_insert;
DROP TABLE recipes_fts;
