DROP INDEX drivers_email_key;
