-- Migration 0003: messaging.
--   conversations             - a thread, optionally about a gig
--   conversation_participants - who is in each thread (composite primary key)
--   messages                  - thread messages, optionally replying to another message
-- Safe to run twice: every statement is guarded with IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS conversations (
    id              TEXT PRIMARY KEY,
    gig_id          TEXT REFERENCES gigs(id) ON DELETE SET NULL,
    subject         TEXT CHECK (subject IS NULL OR length(subject) <= 200),
    last_message_at TEXT,
    created_at      TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at      TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_conversations_gig_id ON conversations(gig_id);

CREATE TABLE IF NOT EXISTS conversation_participants (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    is_muted        INTEGER NOT NULL DEFAULT 0 CHECK (is_muted IN (0, 1)),
    last_read_at    TEXT,
    joined_at       TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (conversation_id, user_id)
);

-- conversation_participants.conversation_id is covered by the primary key.
CREATE INDEX IF NOT EXISTS idx_conversation_participants_user_id ON conversation_participants(user_id);

CREATE TABLE IF NOT EXISTS messages (
    id                  TEXT PRIMARY KEY,
    conversation_id     TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    sender_user_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
    reply_to_message_id TEXT REFERENCES messages(id) ON DELETE SET NULL,
    body                TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    is_read             INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
    edited_at           TEXT,
    created_at          TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_messages_conversation_id_created_at ON messages(conversation_id, created_at);
CREATE INDEX IF NOT EXISTS idx_messages_sender_user_id ON messages(sender_user_id);
CREATE INDEX IF NOT EXISTS idx_messages_reply_to_message_id ON messages(reply_to_message_id);
