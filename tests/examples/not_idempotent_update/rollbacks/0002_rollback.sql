UPDATE products SET price = price / 100;
