-- Flag crawler sessions so the dashboards can leave them out. Planted defect: the
-- pattern is 61 bytes and D1 refuses LIKE patterns over 50 ('LIKE or GLOB pattern too
-- complex') as soon as a row is compared with it; an empty test database never is.
UPDATE sessions SET is_bot = 1
WHERE user_agent LIKE '%compatible; Googlebot/2.1; +http://www.google.com/bot.html%';
