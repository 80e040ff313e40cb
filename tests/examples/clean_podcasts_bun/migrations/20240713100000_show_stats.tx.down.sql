DROP TRIGGER plays_stats;
--bun:split
DROP TABLE show_stats;
