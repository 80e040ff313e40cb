-- Member settings as JSON (notification choices and the like).
-- +goose Up
ALTER TABLE members ADD COLUMN settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings));

-- +goose Down
ALTER TABLE members DROP COLUMN settings;
