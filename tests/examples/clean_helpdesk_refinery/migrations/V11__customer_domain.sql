ALTER TABLE customers ADD COLUMN email_domain TEXT
    GENERATED ALWAYS AS (lower(substr(email, instr(email, '@') + 1))) VIRTUAL;
CREATE INDEX customers_email_domain ON customers(email_domain);
CREATE INDEX tickets_opened_day ON tickets(date(opened_at));
