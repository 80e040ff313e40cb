-- +migrate Up
-- plot numbers were entered as '7', '07' and ' 7': padded to three digits, then unique.
-- Plots that really shared a number keep it on the first; the others get a suffix.
UPDATE plots SET number = printf('%03d', CAST(trim(number) AS INTEGER))
WHERE trim(number) GLOB '[0-9]*' AND trim(number) NOT GLOB '*[^0-9]*';
UPDATE plots SET number = number || '-' || id
WHERE id NOT IN (SELECT MIN(id) FROM plots GROUP BY number);
CREATE UNIQUE INDEX plots_number ON plots(number);

-- +migrate Down
DROP INDEX plots_number;
