DROP VIEW recipe_cards;
