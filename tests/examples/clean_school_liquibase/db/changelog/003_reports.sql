--liquibase formatted sql

--changeset ines:9
--comment: the head's dashboard
CREATE VIEW course_results AS
SELECT c.code, c.title, COUNT(e.student_id) AS enrolled, AVG(e.points) AS average
FROM courses AS c LEFT JOIN enrolments AS e ON e.course_id = c.id
GROUP BY c.id;
--rollback DROP VIEW course_results;

--changeset ines:10
--comment: code becomes course_code everywhere; the view reading it is made again
DROP VIEW course_results;
ALTER TABLE courses RENAME COLUMN code TO course_code;
CREATE VIEW course_results AS
SELECT c.course_code, c.title, COUNT(e.student_id) AS enrolled, AVG(e.points) AS average
FROM courses AS c LEFT JOIN enrolments AS e ON e.course_id = c.id
GROUP BY c.id;
--rollback DROP VIEW course_results;
--rollback ALTER TABLE courses RENAME COLUMN course_code TO code;
--rollback CREATE VIEW course_results AS SELECT c.code, c.title, COUNT(e.student_id) AS enrolled, AVG(e.points) AS average FROM courses AS c LEFT JOIN enrolments AS e ON e.course_id = c.id GROUP BY c.id;

--changeset ines:11
--comment: students' settings from the parent portal, with the language read out
ALTER TABLE students ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE students ADD COLUMN language TEXT
    GENERATED ALWAYS AS (coalesce(json_extract(settings, '$.language'), 'en')) VIRTUAL;
--rollback ALTER TABLE students DROP COLUMN language;
--rollback ALTER TABLE students DROP COLUMN settings;

--changeset ines:12
CREATE INDEX students_born_month ON students(strftime('%m', born_on)) WHERE born_on IS NOT NULL;
CREATE INDEX teachers_email_lower ON teachers(lower(email));
--rollback DROP INDEX teachers_email_lower;
--rollback DROP INDEX students_born_month;
