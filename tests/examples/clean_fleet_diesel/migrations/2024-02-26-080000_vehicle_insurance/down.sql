ALTER TABLE vehicles ADD COLUMN insurer TEXT;
ALTER TABLE vehicles ADD COLUMN policy_number TEXT;
ALTER TABLE vehicles ADD COLUMN insured_until TEXT;
UPDATE vehicles
SET insurer = vi.insurer, policy_number = vi.policy_number, insured_until = vi.insured_until
FROM vehicle_insurance AS vi
WHERE vi.vehicle_id = vehicles.id;
DROP TABLE vehicle_insurance;
