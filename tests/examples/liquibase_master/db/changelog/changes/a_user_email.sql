--liquibase formatted sql

--changeset ann:email
ALTER TABLE users ADD COLUMN email TEXT;
--rollback ALTER TABLE users DROP COLUMN email;
