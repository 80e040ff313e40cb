ALTER TABLE `artists` ADD `country` text;
