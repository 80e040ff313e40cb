DROP TABLE item_tags;
