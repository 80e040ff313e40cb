--liquibase formatted sql

--changeset ann:users
CREATE TABLE IF NOT EXISTS users (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
--rollback DROP TABLE users;
