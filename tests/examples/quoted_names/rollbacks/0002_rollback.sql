UPDATE "order items" SET qty = qty / 2;
