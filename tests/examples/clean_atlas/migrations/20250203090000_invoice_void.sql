-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_invoices" table
CREATE TABLE `new_invoices` (
  `id` integer NOT NULL,
  `account_id` integer NOT NULL,
  `amount_cents` integer NOT NULL,
  `status` text NOT NULL DEFAULT 'draft',
  PRIMARY KEY (`id`),
  CONSTRAINT `invoices_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE CASCADE,
  CHECK (status IN ('draft', 'sent', 'paid', 'void'))
);
-- Copy rows from old table "invoices" to new temporary table "new_invoices"
INSERT INTO `new_invoices` (`id`, `account_id`, `amount_cents`, `status`) SELECT `id`, `account_id`, `amount_cents`, `status` FROM `invoices`;
-- Drop "invoices" table after copying rows
DROP TABLE `invoices`;
-- Rename temporary table "new_invoices" to "invoices"
ALTER TABLE `new_invoices` RENAME TO `invoices`;
-- Create index "invoices_account_amount_cents" to table: "invoices"
CREATE INDEX `invoices_account_amount_cents` ON `invoices` (`account_id`, `amount_cents`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
