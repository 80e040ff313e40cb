DROP INDEX idx_conversation_thread;
