-- Planted defect: where authors already holds id 1, REPLACE deletes that row first and
-- ON DELETE CASCADE (keys are always on in D1) deletes every book of it.
REPLACE INTO authors (id, name) VALUES (1, 'Anonymous');
