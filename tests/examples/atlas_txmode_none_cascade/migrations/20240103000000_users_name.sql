-- atlas:txmode none

-- Rebuilt by hand, outside Atlas's transaction, with keys on for the copy.
PRAGMA foreign_keys = on;
CREATE TABLE `new_users` (`id` integer NOT NULL, `email` text NOT NULL, `name` text NOT NULL DEFAULT '', PRIMARY KEY (`id`));
INSERT INTO `new_users` (`id`, `email`) SELECT `id`, `email` FROM `users`;
DROP TABLE `users`;
ALTER TABLE `new_users` RENAME TO `users`;
CREATE UNIQUE INDEX `users_email` ON `users` (`email`);
