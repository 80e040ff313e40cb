-- Planted defect: the table is called user_sessions, and without IF EXISTS the typo fails.
DROP TABLE sessions;
