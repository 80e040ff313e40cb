-- free-form metadata from the importer; the cuisine is read out of it for the filter
ALTER TABLE recipes ADD COLUMN meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta));
ALTER TABLE recipes ADD COLUMN cuisine TEXT
    GENERATED ALWAYS AS (json_extract(meta, '$.cuisine')) VIRTUAL;
CREATE INDEX recipes_cuisine ON recipes(cuisine) WHERE cuisine IS NOT NULL;
