-- Amounts move from dollars to integer cents, rounded to the nearest cent first.
UPDATE payments SET amount = CAST(ROUND(amount * 100) AS INTEGER);
