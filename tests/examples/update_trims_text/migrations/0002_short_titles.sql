-- Titles lose stray whitespace and read in upper case: every value still says what it
-- held (the clean twin of update_cuts_text).
UPDATE tracks SET title = upper(trim(title));
