DROP VIEW upcoming;
