DROP TRIGGER trips_times_update;
DROP TRIGGER trips_times_insert;
