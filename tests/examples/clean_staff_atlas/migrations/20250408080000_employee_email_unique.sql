-- Contractors rehired as staff got a second row under the same address. The newer row
-- is the current one: its reports move to it, the old row's address is tagged so the
-- index holds (the old rows stay for payroll history).
UPDATE `employees`
SET `manager_id` = (
  SELECT MAX(k.`id`) FROM `employees` AS k, `employees` AS m
  WHERE m.`id` = `employees`.`manager_id` AND k.`email` = m.`email` COLLATE NOCASE
)
WHERE `manager_id` NOT IN (SELECT MAX(`id`) FROM `employees` GROUP BY `email` COLLATE NOCASE);
UPDATE `employees`
SET `email` = `email` || '#' || `id`
WHERE `id` NOT IN (SELECT MAX(`id`) FROM `employees` GROUP BY `email` COLLATE NOCASE);
-- Create index "employees_email" to table: "employees"
CREATE UNIQUE INDEX `employees_email` ON `employees` (`email` COLLATE NOCASE);
