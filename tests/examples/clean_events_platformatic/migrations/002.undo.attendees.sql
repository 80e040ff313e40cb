DROP TABLE attendees;
