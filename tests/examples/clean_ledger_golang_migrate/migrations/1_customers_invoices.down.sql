DROP TABLE invoices;
DROP TABLE customers;
