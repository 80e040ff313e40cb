-- Salaries can no longer be negative (a sign typo in the import is corrected first).
-- Atlas's generated rebuild: keys are off inside Atlas's
-- transaction, so dropping the self-referencing table unlinks nobody.
PRAGMA foreign_keys = off;
UPDATE `employees` SET `salary` = -`salary` WHERE `salary` < 0;
-- Create "new_employees" table
CREATE TABLE `new_employees` (
  `id` integer NOT NULL PRIMARY KEY,
  `department_id` integer NULL,
  `manager_id` integer NULL,
  `first_name` text NOT NULL,
  `last_name` text NOT NULL,
  `email` text NOT NULL,
  `salary` real NULL,
  `hired_on` text NOT NULL,
  CONSTRAINT `salary_positive` CHECK (`salary` >= 0),
  CONSTRAINT `employees_department` FOREIGN KEY (`department_id`) REFERENCES `departments` (`id`) ON DELETE SET NULL,
  CONSTRAINT `employees_manager` FOREIGN KEY (`manager_id`) REFERENCES `employees` (`id`) ON DELETE SET NULL
);
-- Copy rows from old table "employees" to new temporary table "new_employees"
INSERT INTO `new_employees` (`id`, `department_id`, `manager_id`, `first_name`, `last_name`, `email`, `salary`, `hired_on`)
SELECT `id`, `department_id`, `manager_id`, `first_name`, `last_name`, `email`, `salary`, `hired_on` FROM `employees`;
-- Drop "employees" table after copying rows
DROP TABLE `employees`;
-- Rename temporary table "new_employees" to "employees"
ALTER TABLE `new_employees` RENAME TO `employees`;
-- Create index "employees_department_id" to table: "employees"
CREATE INDEX `employees_department_id` ON `employees` (`department_id`);
-- Create index "employees_manager_id" to table: "employees"
CREATE INDEX `employees_manager_id` ON `employees` (`manager_id`);
-- Create index "employees_email" to table: "employees"
CREATE UNIQUE INDEX `employees_email` ON `employees` (`email` COLLATE NOCASE);
-- Enable back the foreign keys
PRAGMA foreign_keys = on;
