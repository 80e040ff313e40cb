DROP TABLE episodes;
--bun:split
DROP TABLE shows;
