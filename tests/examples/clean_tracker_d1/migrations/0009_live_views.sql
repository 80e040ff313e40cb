-- Migration number: 0009 	 2025-04-28T09:00:00.000Z
-- Views skip archived projects now that they exist.
DROP VIEW open_tasks;
CREATE VIEW open_tasks AS
SELECT t.id, t.title, p.name AS project, t.due_at
FROM tasks AS t
JOIN projects AS p ON p.id = t.project_id
WHERE t.state IN ('open', 'in_progress', 'blocked') AND p.deleted_at IS NULL;
CREATE VIEW project_task_counts AS
SELECT p.id AS project_id, p.name, COUNT(t.id) AS task_count
FROM projects AS p
LEFT JOIN tasks AS t ON t.project_id = p.id
WHERE p.deleted_at IS NULL
GROUP BY p.id, p.name;
