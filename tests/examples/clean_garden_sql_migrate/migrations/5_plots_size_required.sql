-- +migrate Up notransaction
-- plots is a parent (plantings cascade from it). sql-migrate runs this direction on the
-- connection, so the file brackets the rebuild itself: the keys are off under mattn's
-- default anyway, and the pragma pair keeps it so on a DSN that turns them on.
PRAGMA foreign_keys = OFF;
BEGIN;
UPDATE plots SET size_m2 = 25 WHERE size_m2 IS NULL OR size_m2 <= 0;
CREATE TABLE plots_new (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL,
    size_m2     REAL NOT NULL CHECK (size_m2 > 0),
    gardener_id INTEGER REFERENCES gardeners(id)
);
INSERT INTO plots_new (id, number, size_m2, gardener_id)
SELECT id, number, size_m2, gardener_id FROM plots;
DROP TABLE plots;
ALTER TABLE plots_new RENAME TO plots;
CREATE INDEX plots_gardener ON plots(gardener_id);
CREATE UNIQUE INDEX plots_number ON plots(number);
COMMIT;
PRAGMA foreign_keys = ON;

-- +migrate Down notransaction
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE plots_old (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL,
    gardener_id INTEGER REFERENCES gardeners(id),
    size_m2     REAL
);
INSERT INTO plots_old (id, number, gardener_id, size_m2)
SELECT id, number, gardener_id, size_m2 FROM plots;
DROP TABLE plots;
ALTER TABLE plots_old RENAME TO plots;
CREATE INDEX plots_gardener ON plots(gardener_id);
CREATE UNIQUE INDEX plots_number ON plots(number);
COMMIT;
PRAGMA foreign_keys = ON;
