-- One driver per email. A later duplicate's trips move to the oldest driver with that
-- email, then the duplicates go.
UPDATE trips
SET driver_id = (
    SELECT MIN(keep.id) FROM drivers AS dup
    JOIN drivers AS keep ON keep.email = dup.email
    WHERE dup.id = trips.driver_id
)
WHERE driver_id IN (SELECT id FROM drivers WHERE id NOT IN (SELECT MIN(id) FROM drivers GROUP BY email));
DELETE FROM drivers WHERE id NOT IN (SELECT MIN(id) FROM drivers GROUP BY email);
CREATE UNIQUE INDEX drivers_email_key ON drivers(email);
