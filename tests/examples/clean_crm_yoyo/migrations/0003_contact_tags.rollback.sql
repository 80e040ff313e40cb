DROP TABLE contact_tags;
