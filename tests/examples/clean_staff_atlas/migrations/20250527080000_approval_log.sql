-- Create "leave_decisions" table
CREATE TABLE `leave_decisions` (
  `request_id` integer NOT NULL,
  `decided_at` text NOT NULL,
  `status` text NOT NULL,
  PRIMARY KEY (`request_id`, `decided_at`),
  CONSTRAINT `leave_decisions_request` FOREIGN KEY (`request_id`) REFERENCES `leave_requests` (`id`) ON DELETE CASCADE
) WITHOUT ROWID;
-- Create trigger "leave_requests_decided"
CREATE TRIGGER `leave_requests_decided` AFTER UPDATE OF `status` ON `leave_requests`
WHEN new.`status` <> old.`status`
BEGIN
  INSERT INTO `leave_decisions` (`request_id`, `decided_at`, `status`)
  VALUES (new.`id`, strftime('%Y-%m-%dT%H:%M:%f', 'now'), new.`status`);
END;
