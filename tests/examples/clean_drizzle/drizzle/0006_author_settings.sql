ALTER TABLE `authors` ADD `settings` text DEFAULT '{}' NOT NULL CHECK (json_valid(`settings`));--> statement-breakpoint
ALTER TABLE `authors` ADD `theme` text GENERATED ALWAYS AS (json_extract(`settings`, '$.theme')) VIRTUAL;--> statement-breakpoint
CREATE VIEW `author_post_counts` AS select "authors"."id" as "author_id", "authors"."name", count("posts"."id") as "post_count" from "authors" left join "posts" on "posts"."author_id" = "authors"."id" group by "authors"."id", "authors"."name";
