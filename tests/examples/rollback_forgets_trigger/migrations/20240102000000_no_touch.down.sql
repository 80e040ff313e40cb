-- Planted defect: the up dropped posts_touch; the rollback never puts it back, so every
-- database rolled back stops stamping updated_at.
SELECT 1;
