-- Companies are matched by web domain: a generated column reads it from the website
-- (scheme, 'www.' and path left out), indexed where there is one.
-- depends: 0005_drop_contacts_view

ALTER TABLE companies ADD COLUMN domain TEXT GENERATED ALWAYS AS (
    lower(
        CASE
            WHEN instr(replace(replace(replace(website, 'https://', ''), 'http://', ''), 'www.', ''), '/') > 0
            THEN substr(
                replace(replace(replace(website, 'https://', ''), 'http://', ''), 'www.', ''), 1,
                instr(replace(replace(replace(website, 'https://', ''), 'http://', ''), 'www.', ''), '/') - 1
            )
            ELSE replace(replace(replace(website, 'https://', ''), 'http://', ''), 'www.', '')
        END
    )
) VIRTUAL;
CREATE INDEX companies_domain_idx ON companies(domain) WHERE domain IS NOT NULL;
