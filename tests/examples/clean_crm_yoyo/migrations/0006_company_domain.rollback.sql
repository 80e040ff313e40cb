DROP INDEX companies_domain_idx;
ALTER TABLE companies DROP COLUMN domain;
