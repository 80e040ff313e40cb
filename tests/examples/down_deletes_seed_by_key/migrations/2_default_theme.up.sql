INSERT INTO settings (id, name, value) VALUES (1000, 'theme', 'dark');
