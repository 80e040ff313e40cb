-- Add column "profile" to table: "employees"
ALTER TABLE `employees` ADD COLUMN `profile` json NOT NULL DEFAULT '{}';
-- Add column "pronouns" to table: "employees"
ALTER TABLE `employees` ADD COLUMN `pronouns` text NULL AS (json_extract(`profile`, '$.pronouns')) VIRTUAL;
-- Create "headcount" view
CREATE VIEW `headcount` AS
SELECT d.`code`, d.`name`, COUNT(e.`id`) AS `staff`
FROM `departments` AS d LEFT JOIN `employees` AS e ON e.`department_id` = d.`id`
GROUP BY d.`id`;
