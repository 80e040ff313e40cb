-- Give every user a theme. Planted defect: json_object rebuilds prefs from the one key
-- it names, so every other setting a user saved is gone.
UPDATE users
SET prefs = json_object('theme', coalesce(json_extract(prefs, '$.theme'), 'light'));
