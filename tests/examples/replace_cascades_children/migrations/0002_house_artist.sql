-- Make sure the label's house artist exists, with its country. Planted defect: where
-- production already has the row, REPLACE deletes it before inserting the new one, and
-- ON DELETE CASCADE deletes every album of it (keys are on).
INSERT OR REPLACE INTO artists (id, name, country) VALUES (1, 'House Band', 'SE');
