-- Customer names lose the spaces a form left around them: a real change of each row,
-- which orders_touch stamps as the application's own updates are.
UPDATE orders SET customer = trim(customer) WHERE customer <> trim(customer);
