-- +migrate Up
CREATE TABLE gardeners (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT
);
CREATE TABLE plots (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL,
    gardener_id INTEGER REFERENCES gardeners(id),
    size_m2     REAL
);
CREATE TABLE plantings (
    id         INTEGER PRIMARY KEY,
    plot_id    INTEGER NOT NULL REFERENCES plots(id) ON DELETE CASCADE,
    crop       TEXT NOT NULL,
    planted_on TEXT NOT NULL,
    harvested_on TEXT
);
CREATE INDEX plots_gardener ON plots(gardener_id);
CREATE INDEX plantings_plot ON plantings(plot_id);

-- +migrate Down
DROP TABLE plantings;
DROP TABLE plots;
DROP TABLE gardeners;
