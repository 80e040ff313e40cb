--liquibase formatted sql

--changeset ann:3
ALTER TABLE artists ADD COLUMN country TEXT;
/* liquibase rollback
ALTER TABLE artists DROP COLUMN country;
*/
