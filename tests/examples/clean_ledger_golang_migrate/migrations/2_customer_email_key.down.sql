DROP INDEX customers_email_key;
CREATE INDEX customers_email_idx ON customers(email);
