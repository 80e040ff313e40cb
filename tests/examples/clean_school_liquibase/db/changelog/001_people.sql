--liquibase formatted sql

--changeset ines:1
--comment: students, teachers and the courses they teach
CREATE TABLE students (
    id        INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    email     TEXT,
    born_on   TEXT,
    year      INTEGER
);
CREATE TABLE teachers (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL
);
CREATE TABLE courses (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL,
    title      TEXT NOT NULL,
    teacher_id INTEGER REFERENCES teachers(id)
);
--rollback DROP TABLE courses;
--rollback DROP TABLE teachers;
--rollback DROP TABLE students;

--changeset ines:2
CREATE TABLE enrolments (
    student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    course_id  INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    grade      TEXT,
    PRIMARY KEY (student_id, course_id)
);
CREATE INDEX enrolments_course ON enrolments(course_id);
--rollback DROP TABLE enrolments;

--changeset ines:3
--comment: course codes were typed in any case; fold them, then one row per code
--comment: and where two rows now share a code, the first keeps the enrolments of both
UPDATE courses SET code = upper(trim(code)) WHERE code <> upper(trim(code));
UPDATE OR IGNORE enrolments
SET course_id = (
    SELECT MIN(k.id) FROM courses AS k, courses AS c
    WHERE c.id = enrolments.course_id AND k.code = c.code
)
WHERE course_id NOT IN (SELECT MIN(id) FROM courses GROUP BY code);
DELETE FROM enrolments WHERE course_id NOT IN (SELECT MIN(id) FROM courses GROUP BY code);
DELETE FROM courses WHERE id NOT IN (SELECT MIN(id) FROM courses GROUP BY code);
CREATE UNIQUE INDEX courses_code ON courses(code);
--rollback DROP INDEX courses_code;

--changeset ines:4
--comment: a student's e-mail is optional, but never shared by two students
--comment: (siblings shared a parent's address: the eldest record keeps it)
UPDATE students SET email = NULL WHERE trim(email) = '';
UPDATE students SET email = NULL
WHERE email IS NOT NULL
  AND id NOT IN (SELECT MIN(id) FROM students WHERE email IS NOT NULL GROUP BY email COLLATE NOCASE);
CREATE UNIQUE INDEX students_email ON students(email COLLATE NOCASE) WHERE email IS NOT NULL;
--rollback DROP INDEX students_email;
