-- Create "leave_requests" table
CREATE TABLE `leave_requests` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  `employee_id` integer NOT NULL,
  `starts_on` text NOT NULL,
  `ends_on` text NOT NULL,
  `status` text NOT NULL DEFAULT 'requested',
  CONSTRAINT `leave_requests_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`) ON DELETE CASCADE,
  CONSTRAINT `leave_dates` CHECK (`ends_on` >= `starts_on`),
  CONSTRAINT `leave_status` CHECK (`status` IN ('requested', 'approved', 'rejected'))
);
-- Create index "leave_requests_employee_id" to table: "leave_requests"
CREATE INDEX `leave_requests_employee_id` ON `leave_requests` (`employee_id`);
-- Create index "leave_requests_pending" to table: "leave_requests"
CREATE INDEX `leave_requests_pending` ON `leave_requests` (`starts_on`) WHERE `status` = 'requested';
