DROP TRIGGER attendees_free_seat;
DROP TRIGGER attendees_take_seat;
DROP TABLE event_seats;
