-- make and model move into a JSON specs object (more fields come from the supplier's
-- feed); the columns go once every vehicle's pair is in it.
ALTER TABLE vehicles ADD COLUMN specs TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(specs));
UPDATE vehicles SET specs = json_object('make', make, 'model', model);
ALTER TABLE vehicles DROP COLUMN make;
ALTER TABLE vehicles DROP COLUMN model;
CREATE INDEX vehicles_make_idx ON vehicles(json_extract(specs, '$.make'));
