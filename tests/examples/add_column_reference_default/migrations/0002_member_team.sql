-- Every member joins the default team. Planted defect: with foreign keys on, SQLite
-- refuses a REFERENCES column with a non-NULL DEFAULT as soon as members has a row.
ALTER TABLE members ADD COLUMN team_id INTEGER NOT NULL DEFAULT 1 REFERENCES teams(id);
CREATE INDEX members_team_id ON members(team_id);
