-- Rollback 0002: drop portfolio and marketplace tables, children first.
-- WARNING: destroys every track, gig and gig application.
DROP INDEX IF EXISTS idx_gig_applications_artist_id;
DROP TABLE IF EXISTS gig_applications;
DROP INDEX IF EXISTS idx_gigs_booked_artist_id;
DROP INDEX IF EXISTS idx_gigs_posted_by_user_id;
DROP TABLE IF EXISTS gigs;
DROP INDEX IF EXISTS idx_tracks_artist_id;
DROP TABLE IF EXISTS tracks;
