UPDATE payments SET amount = amount / 100.0;
