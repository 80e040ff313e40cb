-- Rollback 0003: drop messaging tables, children first.
-- WARNING: destroys every conversation, participant and message.
DROP INDEX IF EXISTS idx_messages_reply_to_message_id;
DROP INDEX IF EXISTS idx_messages_sender_user_id;
DROP INDEX IF EXISTS idx_messages_conversation_id_created_at;
DROP TABLE IF EXISTS messages;
DROP INDEX IF EXISTS idx_conversation_participants_user_id;
DROP TABLE IF EXISTS conversation_participants;
DROP INDEX IF EXISTS idx_conversations_gig_id;
DROP TABLE IF EXISTS conversations;
