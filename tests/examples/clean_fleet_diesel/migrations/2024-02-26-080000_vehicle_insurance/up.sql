-- Insurance moves to a table of its own, one row per vehicle.
-- Every vehicle with any insurance detail gets its row; then the columns go.
CREATE TABLE vehicle_insurance (
    id            INTEGER PRIMARY KEY NOT NULL,
    vehicle_id    INTEGER NOT NULL UNIQUE REFERENCES vehicles(id) ON DELETE CASCADE,
    insurer       TEXT,
    policy_number TEXT,
    insured_until TEXT
);
INSERT INTO vehicle_insurance (vehicle_id, insurer, policy_number, insured_until)
SELECT id, insurer, policy_number, insured_until FROM vehicles
WHERE insurer IS NOT NULL OR policy_number IS NOT NULL OR insured_until IS NOT NULL;
ALTER TABLE vehicles DROP COLUMN insurer;
ALTER TABLE vehicles DROP COLUMN policy_number;
ALTER TABLE vehicles DROP COLUMN insured_until;
