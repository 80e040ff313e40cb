DELETE FROM plans WHERE code IN ('free', 'solo', 'team', 'business', 'enterprise', 'education');
