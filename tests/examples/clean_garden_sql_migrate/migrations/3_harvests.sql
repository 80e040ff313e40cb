-- +migrate Up
CREATE TABLE harvests (
    id          INTEGER PRIMARY KEY,
    planting_id INTEGER NOT NULL REFERENCES plantings(id) ON DELETE CASCADE,
    weighed_on  TEXT NOT NULL,
    grams       INTEGER NOT NULL CHECK (grams > 0)
);
CREATE INDEX harvests_planting ON harvests(planting_id);

-- a weighed harvest closes its planting if nobody did
-- +migrate StatementBegin
CREATE TRIGGER harvests_close_planting AFTER INSERT ON harvests
BEGIN
    UPDATE plantings SET harvested_on = new.weighed_on
    WHERE id = new.planting_id AND harvested_on IS NULL;
END;
-- +migrate StatementEnd

-- +migrate Down
DROP TRIGGER harvests_close_planting;
DROP TABLE harvests;
