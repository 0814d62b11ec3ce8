-- 007_apply_once.sql: an application reaches the career site at most once.
--
-- An apply job's holder sets sent_at, under its lease, just before the submission's bytes go
-- out, and it is cleared only when an answer was recorded (a retry after a transient answer).
-- A job found with sent_at set was being submitted by a holder that stopped or lost its lease:
-- whether the site received it is unknown, so it goes to the review queue and is not sent again.
ALTER TABLE jobs ADD COLUMN sent_at BIGINT;
