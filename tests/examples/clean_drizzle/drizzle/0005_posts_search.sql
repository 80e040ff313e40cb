-- Custom: full-text search over posts (external-content FTS5), kept by triggers.
CREATE VIRTUAL TABLE `posts_fts` USING fts5(title, body, content='posts', content_rowid='id');--> statement-breakpoint
CREATE TRIGGER `posts_fts_ai` AFTER INSERT ON `posts` BEGIN
	INSERT INTO `posts_fts` (rowid, title, body) VALUES (new.id, new.title, new.body);
END;--> statement-breakpoint
CREATE TRIGGER `posts_fts_ad` AFTER DELETE ON `posts` BEGIN
	INSERT INTO `posts_fts` (`posts_fts`, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;--> statement-breakpoint
CREATE TRIGGER `posts_fts_au` AFTER UPDATE ON `posts` BEGIN
	INSERT INTO `posts_fts` (`posts_fts`, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
	INSERT INTO `posts_fts` (rowid, title, body) VALUES (new.id, new.title, new.body);
END;--> statement-breakpoint
INSERT INTO `posts_fts` (`posts_fts`) VALUES ('rebuild');
