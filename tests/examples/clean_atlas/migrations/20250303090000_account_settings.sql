-- Create "account_settings" table
CREATE TABLE `account_settings` (
  `account_id` integer NOT NULL,
  `key` text NOT NULL,
  `value` text NULL,
  PRIMARY KEY (`account_id`, `key`),
  CONSTRAINT `account_settings_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE CASCADE
);
-- Each member of the settings object becomes a row; json_each gives keys once per object.
INSERT INTO `account_settings` (`account_id`, `key`, `value`)
SELECT a.id, s.key, CASE WHEN s.type IN ('object', 'array') THEN s.value ELSE CAST(s.value AS text) END
FROM `accounts` AS a, json_each(a.settings) AS s;
