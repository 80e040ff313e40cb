DROP INDEX attendees_event_email;
