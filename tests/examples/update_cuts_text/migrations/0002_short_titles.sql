-- Titles must fit a 12-character column in the player. Planted defect: the backfill cuts
-- every longer title, and nothing keeps what it said.
UPDATE tracks SET title = substr(title, 1, 12) WHERE length(title) > 12;
