DROP TRIGGER trips_add_distance;
