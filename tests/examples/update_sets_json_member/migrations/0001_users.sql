CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    prefs TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(prefs))
);
