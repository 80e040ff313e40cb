-- A gift card product every shop sells.
INSERT OR IGNORE INTO products (sku, name, price_cents) VALUES ('GIFT-10', 'Gift card', 1000);
