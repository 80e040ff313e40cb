-- Amounts move from dollars to integer cents. Planted defect: CAST truncates, and 19.99
-- times 100 is 1998.9999999999998 in binary floating point: a cent goes from every such
-- amount (19.99 becomes 1998).
UPDATE payments SET amount = CAST(amount * 100 AS INTEGER);
