-- make and model go back where they were, read from specs (a rebuild: ADD COLUMN
-- would put them last). Keys are off on diesel's connection: trips stay.
DROP INDEX vehicles_make_idx;
DROP TRIGGER trips_add_distance;
CREATE TABLE vehicles_old (
    id          INTEGER PRIMARY KEY NOT NULL,
    plate       TEXT NOT NULL,
    make        TEXT NOT NULL,
    model       TEXT NOT NULL,
    built_year  INTEGER,
    odometer_km REAL NOT NULL DEFAULT 0
);
INSERT INTO vehicles_old (id, plate, make, model, built_year, odometer_km)
SELECT id, plate, coalesce(json_extract(specs, '$.make'), ''), coalesce(json_extract(specs, '$.model'), ''),
       built_year, odometer_km
FROM vehicles;
DROP TABLE vehicles;
ALTER TABLE vehicles_old RENAME TO vehicles;
CREATE UNIQUE INDEX vehicles_plate_key ON vehicles(plate);
CREATE TRIGGER trips_add_distance AFTER UPDATE OF ended_at ON trips
WHEN old.ended_at IS NULL AND new.ended_at IS NOT NULL AND new.distance_km IS NOT NULL
BEGIN
    UPDATE vehicles SET odometer_km = odometer_km + new.distance_km WHERE id = new.vehicle_id;
END;
