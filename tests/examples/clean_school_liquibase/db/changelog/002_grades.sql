--liquibase formatted sql

--changeset ines:5
--comment: letter grades become points; the letter stays for the transcripts already printed
ALTER TABLE enrolments ADD COLUMN points REAL;
UPDATE enrolments
SET points = CASE upper(trim(grade))
    WHEN 'A' THEN 4.0 WHEN 'B' THEN 3.0 WHEN 'C' THEN 2.0 WHEN 'D' THEN 1.0 WHEN 'F' THEN 0.0
    END
WHERE grade IS NOT NULL;
--rollback ALTER TABLE enrolments DROP COLUMN points;

--changeset ines:6
CREATE TABLE grade_changes (
    id         INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL,
    course_id  INTEGER NOT NULL,
    old_points REAL,
    new_points REAL,
    changed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
--rollback DROP TABLE grade_changes;

--changeset ines:7 splitStatements:false
--comment: every change of a grade is logged (one trigger: not split at its inner ';')
CREATE TRIGGER enrolments_points_log AFTER UPDATE OF points ON enrolments
WHEN old.points IS NOT new.points
BEGIN
    INSERT INTO grade_changes (student_id, course_id, old_points, new_points)
    VALUES (new.student_id, new.course_id, old.points, new.points);
END;
--rollback DROP TRIGGER enrolments_points_log;

--changeset ines:8
--comment: year is required and between 1 and 6: the leavers without one are year 6
UPDATE students SET year = 6 WHERE year IS NULL OR year > 6;
UPDATE students SET year = 1 WHERE year < 1;
CREATE TABLE students_new (
    id        INTEGER PRIMARY KEY,
    year      INTEGER NOT NULL CHECK (year BETWEEN 1 AND 6),
    full_name TEXT NOT NULL,
    email     TEXT,
    born_on   TEXT
);
INSERT INTO students_new (id, year, full_name, email, born_on)
SELECT id, year, full_name, email, born_on FROM students;
DROP TABLE students;
ALTER TABLE students_new RENAME TO students;
CREATE UNIQUE INDEX students_email ON students(email COLLATE NOCASE) WHERE email IS NOT NULL;
--rollback CREATE TABLE students_old (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, email TEXT, born_on TEXT, year INTEGER);
--rollback INSERT INTO students_old (id, full_name, email, born_on, year) SELECT id, full_name, email, born_on, year FROM students;
--rollback DROP TABLE students;
--rollback ALTER TABLE students_old RENAME TO students;
--rollback CREATE UNIQUE INDEX students_email ON students(email COLLATE NOCASE) WHERE email IS NOT NULL;
