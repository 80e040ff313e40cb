DROP TABLE conversation;
DROP TABLE workspace;
