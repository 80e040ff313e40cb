CREATE TABLE teams (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE members (
    id      INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    email   TEXT NOT NULL
);
CREATE INDEX idx_members_team ON members(team_id);
