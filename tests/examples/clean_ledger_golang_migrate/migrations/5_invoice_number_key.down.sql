DROP INDEX invoices_open_idx;
DROP INDEX invoices_number_key;
