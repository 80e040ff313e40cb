DROP TABLE IF EXISTS "Ünïcode";
DROP TABLE IF EXISTS "order items";
