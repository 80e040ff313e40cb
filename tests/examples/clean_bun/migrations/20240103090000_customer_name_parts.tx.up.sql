-- Split full_name into first and last name (full_name stays).
ALTER TABLE customers ADD COLUMN first_name TEXT;
ALTER TABLE customers ADD COLUMN last_name TEXT;
UPDATE customers
SET first_name = CASE WHEN instr(full_name, ' ') > 0
                      THEN substr(full_name, 1, instr(full_name, ' ') - 1)
                      ELSE full_name END,
    last_name  = CASE WHEN instr(full_name, ' ') > 0
                      THEN substr(full_name, instr(full_name, ' ') + 1)
                      ELSE '' END
WHERE first_name IS NULL;
