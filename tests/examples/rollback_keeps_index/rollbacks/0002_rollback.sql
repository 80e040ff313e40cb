-- Planted defect: drops plays (and its index with it) but forgets idx_tracks_title.
DROP TABLE IF EXISTS plays;
