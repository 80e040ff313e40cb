-- Create "accounts" table
CREATE TABLE `accounts` (
  `id` integer NOT NULL,
  `email` text NOT NULL,
  `settings` text NOT NULL DEFAULT '{}',
  `created_at` text NOT NULL DEFAULT (CURRENT_TIMESTAMP),
  PRIMARY KEY (`id`),
  CHECK (json_valid(settings) AND json_type(settings) = 'object')
);
-- Create index "accounts_email" to table: "accounts"
CREATE UNIQUE INDEX `accounts_email` ON `accounts` (`email`);
-- Create "invoices" table
CREATE TABLE `invoices` (
  `id` integer NOT NULL,
  `account_id` integer NOT NULL,
  `amount` integer NOT NULL,
  `status` text NOT NULL DEFAULT 'draft',
  PRIMARY KEY (`id`),
  CONSTRAINT `invoices_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE CASCADE,
  CHECK (status IN ('draft', 'sent', 'paid'))
);
-- Create index "invoices_account_amount" to table: "invoices"
CREATE INDEX `invoices_account_amount` ON `invoices` (`account_id`, `amount`);
-- Create "invoice_lines" table
CREATE TABLE `invoice_lines` (
  `invoice_id` integer NOT NULL,
  `line_no` integer NOT NULL,
  `description` text NOT NULL,
  `cents` integer NOT NULL,
  PRIMARY KEY (`invoice_id`, `line_no`),
  CONSTRAINT `invoice_lines_invoice` FOREIGN KEY (`invoice_id`) REFERENCES `invoices` (`id`) ON DELETE CASCADE
);
