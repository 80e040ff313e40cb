-- Genres moved to the catalogue service. The view that reads them stays behind:
-- every read of track_genres fails from now on.
DROP TABLE genres;
