-- Prices move from euros to cents. Planted defect: run twice (a retried deploy), every
-- price is multiplied by 10,000.
UPDATE products SET price = price * 100;
