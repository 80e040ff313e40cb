CREATE TABLE subscriptions (
    id              INTEGER PRIMARY KEY,
    show_id         INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
    listener        TEXT NOT NULL COLLATE NOCASE,
    subscribed_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    unsubscribed_at TEXT
);
--bun:split
-- one live subscription per listener and show; old ones stay for the history
CREATE UNIQUE INDEX subscriptions_live ON subscriptions(show_id, listener)
WHERE unsubscribed_at IS NULL;
