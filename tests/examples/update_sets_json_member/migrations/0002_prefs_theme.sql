-- Give every user a theme: json_set adds the key and keeps every other setting.
UPDATE users
SET prefs = json_set(prefs, '$.theme', coalesce(json_extract(prefs, '$.theme'), 'light'));
