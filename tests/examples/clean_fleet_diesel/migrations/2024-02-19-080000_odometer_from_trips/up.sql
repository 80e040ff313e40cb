-- A finished trip adds its distance to the vehicle's odometer.
CREATE TRIGGER trips_add_distance AFTER UPDATE OF ended_at ON trips
WHEN old.ended_at IS NULL AND new.ended_at IS NOT NULL AND new.distance_km IS NOT NULL
BEGIN
    UPDATE vehicles SET odometer_km = odometer_km + new.distance_km WHERE id = new.vehicle_id;
END;
