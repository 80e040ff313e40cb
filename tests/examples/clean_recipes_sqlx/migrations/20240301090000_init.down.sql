DROP TABLE ingredients;
DROP TABLE recipes;
DROP TABLE users;
