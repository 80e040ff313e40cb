-- Verify shop:gift_card_product on sqlite

BEGIN;

SELECT 1 / count(*) FROM products WHERE sku = 'GIFT-10';

ROLLBACK;
