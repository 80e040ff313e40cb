-- Planted defect: name is no key of settings; every user's own 'theme' row goes too.
DELETE FROM settings WHERE name = 'theme';
