-- Add column "full_name" to table: "employees"
ALTER TABLE `employees` ADD COLUMN `full_name` text NOT NULL AS (`first_name` || ' ' || `last_name`) VIRTUAL;
-- Create index "employees_full_name" to table: "employees"
CREATE INDEX `employees_full_name` ON `employees` (`full_name` COLLATE NOCASE);
