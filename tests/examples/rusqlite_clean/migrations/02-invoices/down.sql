DROP INDEX invoices_customer;
DROP TABLE invoices;
