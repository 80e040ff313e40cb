-- Create "departments" table
CREATE TABLE `departments` (
  `id` integer NOT NULL PRIMARY KEY,
  `name` text NOT NULL,
  `cost_centre` text NULL
);
-- Create "employees" table
CREATE TABLE `employees` (
  `id` integer NOT NULL PRIMARY KEY,
  `department_id` integer NULL,
  `manager_id` integer NULL,
  `first_name` text NOT NULL,
  `last_name` text NOT NULL,
  `email` text NOT NULL,
  `salary` real NULL,
  `hired_on` text NOT NULL,
  CONSTRAINT `employees_department` FOREIGN KEY (`department_id`) REFERENCES `departments` (`id`) ON DELETE SET NULL,
  CONSTRAINT `employees_manager` FOREIGN KEY (`manager_id`) REFERENCES `employees` (`id`) ON DELETE SET NULL
);
-- Create index "employees_department_id" to table: "employees"
CREATE INDEX `employees_department_id` ON `employees` (`department_id`);
-- Create index "employees_manager_id" to table: "employees"
CREATE INDEX `employees_manager_id` ON `employees` (`manager_id`);
