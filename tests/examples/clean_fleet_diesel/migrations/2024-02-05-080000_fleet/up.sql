CREATE TABLE vehicles (
    id            INTEGER PRIMARY KEY NOT NULL,
    plate         TEXT NOT NULL,
    make          TEXT NOT NULL,
    model         TEXT NOT NULL,
    built_year    INTEGER,
    odometer_km   REAL NOT NULL DEFAULT 0,
    insurer       TEXT,
    policy_number TEXT,
    insured_until TEXT
);
CREATE UNIQUE INDEX vehicles_plate_key ON vehicles(plate);
CREATE TABLE drivers (
    id    INTEGER PRIMARY KEY NOT NULL,
    name  TEXT NOT NULL,
    email TEXT NOT NULL
);
CREATE TABLE trips (
    id          INTEGER PRIMARY KEY NOT NULL,
    vehicle_id  INTEGER NOT NULL REFERENCES vehicles(id),
    driver_id   INTEGER NOT NULL REFERENCES drivers(id),
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    distance_km REAL
);
CREATE INDEX trips_vehicle_id_idx ON trips(vehicle_id);
CREATE INDEX trips_driver_id_idx ON trips(driver_id);
