-- A data-only migration: nothing in the schema to undo.
SELECT 1;
