-- Weekly opening hours per doctor: keyed by (doctor, weekday), WITHOUT ROWID and STRICT.
-- migrate:up
CREATE TABLE doctor_hours (
    doctor_id INTEGER NOT NULL REFERENCES doctors(id) ON DELETE CASCADE,
    weekday   INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens     TEXT NOT NULL,
    closes    TEXT NOT NULL,
    PRIMARY KEY (doctor_id, weekday),
    CHECK (opens < closes)
) STRICT, WITHOUT ROWID;

-- migrate:down
DROP TABLE doctor_hours;
