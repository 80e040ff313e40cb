-- +micrate Up
CREATE TABLE boards (
  id    INTEGER PRIMARY KEY,
  slug  TEXT NOT NULL,
  title TEXT NOT NULL
);
CREATE TABLE threads (
  id         INTEGER PRIMARY KEY,
  board_id   INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  title      TEXT NOT NULL,
  author     TEXT NOT NULL,
  pinned     INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX threads_board ON threads(board_id);

-- +micrate Down
DROP TABLE threads;
DROP TABLE boards;
