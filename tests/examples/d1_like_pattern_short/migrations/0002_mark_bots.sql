-- Flag crawler sessions so the dashboards can leave them out: each pattern is short,
-- within D1's 50 bytes.
UPDATE sessions SET is_bot = 1
WHERE user_agent LIKE '%Googlebot/2.1%' OR user_agent LIKE '%google.com/bot.html%';
