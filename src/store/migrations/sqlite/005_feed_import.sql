-- 005_feed_import.sql: feed imports commit in chunks and archive what they did not list by mark
-- and sweep. Each import takes the next generation of its feed and stamps every posting it
-- lists with it; once the whole file is committed, the feed's live postings with an older stamp
-- are the ones the file no longer lists.

ALTER TABLE job_feeds ADD COLUMN import_gen BIGINT NOT NULL DEFAULT 0;   -- the last import's
ALTER TABLE postings ADD COLUMN import_gen BIGINT NOT NULL DEFAULT 0;    -- the last import listing it

-- "Live postings of feed F not stamped by import G" is one range of this index
-- (job_feed_id = F AND import_gen < G), holding only what is still to archive.
CREATE INDEX postings_feed_unstamped ON postings (job_feed_id, import_gen)
    WHERE availability <> 'ARCHIVED';
