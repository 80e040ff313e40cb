-- Deploy shop:gift_card_product to sqlite

BEGIN;

INSERT OR IGNORE INTO products (sku, name, price_cents) VALUES ('GIFT-10', 'Gift card', 1000);

COMMIT;
