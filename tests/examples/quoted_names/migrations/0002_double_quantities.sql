-- Planted defect: quantities were stored per pair; running the file again doubles them again.
UPDATE "order items" SET qty = qty * 2;
