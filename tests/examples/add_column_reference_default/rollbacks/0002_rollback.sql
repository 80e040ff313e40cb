DROP INDEX members_team_id;
ALTER TABLE members DROP COLUMN team_id;
