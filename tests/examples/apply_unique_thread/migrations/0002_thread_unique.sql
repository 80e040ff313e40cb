-- Planted defect (alook 0040): threads were never unique per parent message, so a database
-- holding two threads of one message refuses the index. An empty database accepts it.
CREATE UNIQUE INDEX idx_conversation_thread
    ON conversation (parent_message_id, workspace_id)
    WHERE parent_message_id IS NOT NULL;
