-- +migrate Up
CREATE TABLE crops (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL COLLATE NOCASE UNIQUE,
    family TEXT
) STRICT;
INSERT OR IGNORE INTO crops (name) SELECT DISTINCT trim(crop) FROM plantings;
CREATE VIEW crop_yields AS
SELECT c.name, SUM(h.grams) AS grams
FROM crops AS c
JOIN plantings AS p ON p.crop = c.name
JOIN harvests AS h ON h.planting_id = p.id
GROUP BY c.id;

-- +migrate Down
DROP VIEW crop_yields;
DROP TABLE crops;
