ALTER TABLE customers ADD COLUMN first_name TEXT;
ALTER TABLE customers ADD COLUMN last_name TEXT;

UPDATE customers
SET first_name = CASE WHEN instr(trim(name), ' ') > 0
                      THEN substr(trim(name), 1, instr(trim(name), ' ') - 1)
                      ELSE trim(name) END,
    last_name  = CASE WHEN instr(trim(name), ' ') > 0
                      THEN trim(substr(trim(name), instr(trim(name), ' ') + 1))
                      END
WHERE name IS NOT NULL;
