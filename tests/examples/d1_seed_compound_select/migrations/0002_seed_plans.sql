-- The plans every account picks from. Planted defect: six SELECTs joined by UNION ALL;
-- D1 allows five terms in a compound SELECT ('too many terms in compound SELECT').
INSERT OR IGNORE INTO plans (code, seats)
SELECT 'free', 1
UNION ALL SELECT 'solo', 1
UNION ALL SELECT 'team', 5
UNION ALL SELECT 'business', 25
UNION ALL SELECT 'enterprise', 100
UNION ALL SELECT 'education', 50;
