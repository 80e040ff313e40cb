CREATE TABLE show_stats (
    show_id    INTEGER PRIMARY KEY REFERENCES shows(id) ON DELETE CASCADE,
    play_count INTEGER NOT NULL DEFAULT 0,
    seconds    INTEGER NOT NULL DEFAULT 0
) STRICT;
--bun:split
INSERT INTO show_stats (show_id, play_count, seconds)
SELECT e.show_id, COUNT(*), SUM(p.seconds)
FROM plays AS p JOIN episodes AS e ON e.id = p.episode_id
GROUP BY e.show_id;
--bun:split
CREATE TRIGGER plays_stats AFTER INSERT ON plays BEGIN
    INSERT INTO show_stats (show_id, play_count, seconds)
    SELECT show_id, 1, new.seconds FROM episodes WHERE id = new.episode_id
    ON CONFLICT (show_id) DO UPDATE SET
        play_count = play_count + 1,
        seconds = seconds + excluded.seconds;
END;
