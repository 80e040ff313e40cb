-- trips_add_distance writes vehicles: RENAME would find it naming a missing table.
DROP TRIGGER trips_add_distance;
CREATE TABLE vehicles_old (
    id            INTEGER PRIMARY KEY NOT NULL,
    plate         TEXT NOT NULL,
    built_year    INTEGER,
    odometer_km   REAL NOT NULL DEFAULT 0,
    specs         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(specs))
);
INSERT INTO vehicles_old (id, plate, built_year, odometer_km, specs)
SELECT id, registration, built_year, odometer_km, specs FROM vehicles;
DROP TABLE vehicles;
ALTER TABLE vehicles_old RENAME TO vehicles;
CREATE UNIQUE INDEX vehicles_plate_key ON vehicles(plate);
CREATE INDEX vehicles_make_idx ON vehicles(json_extract(specs, '$.make'));
CREATE TRIGGER trips_add_distance AFTER UPDATE OF ended_at ON trips
WHEN old.ended_at IS NULL AND new.ended_at IS NOT NULL AND new.distance_km IS NOT NULL
BEGIN
    UPDATE vehicles SET odometer_km = odometer_km + new.distance_km WHERE id = new.vehicle_id;
END;
