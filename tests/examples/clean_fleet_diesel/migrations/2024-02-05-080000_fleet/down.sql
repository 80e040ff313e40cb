DROP TABLE trips;
DROP TABLE drivers;
DROP TABLE vehicles;
