DROP INDEX idx_authors_email;
