DROP TRIGGER episodes_fts_au;
--bun:split
DROP TRIGGER episodes_fts_ad;
--bun:split
DROP TRIGGER episodes_fts_ai;
--bun:split
DROP TABLE episodes_fts;
