-- 004_counters.sql: the figures /metrics shows, kept as counters so that a scrape reads a few
-- dozen rows whatever the size of the tables, instead of counting them.
--
-- One row per (name, key): name is the figure, key the label value ('' for a single number).
-- Triggers keep them in the transaction that changes the counted rows, for every write path
-- (inserts, updates, bulk deletes alike); UPDATE triggers fire only when the counted value
-- changes. Each starts from the rows already there, so an existing database stays right.
--
--   postings            availability                 every posting
--   applications        status                       every application
--   review_queue        ''                           needs_review = 1 AND status = 'PENDING'
--   jobs                kind                         every queued job (incl. refreshes)
--   jobs_leased         ''                           lease_token IS NOT NULL
--   webhook_deliveries  status                       every delivery
--   webhook_endpoints   'enabled' / 'disabled'       endpoints not deleted, by enabled
--   events_written      ''                           events ever inserted: never goes down
--   events_stored       ''                           events in the table now (retention)
--
-- A later migration that rebuilds one of these tables (CREATE new, copy, DROP, RENAME) drops
-- its triggers with it: it must create them again and recount the table's rows.

CREATE TABLE stat_counters (
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (name, key)
) WITHOUT ROWID;

INSERT INTO stat_counters (name, key, n)
SELECT 'postings', availability, COUNT(*) FROM postings GROUP BY availability;
INSERT INTO stat_counters (name, key, n)
SELECT 'applications', status, COUNT(*) FROM applications GROUP BY status;
INSERT INTO stat_counters (name, key, n)
SELECT 'review_queue', '', COUNT(*) FROM applications
WHERE needs_review = 1 AND status = 'PENDING';
INSERT INTO stat_counters (name, key, n)
SELECT 'jobs', kind, COUNT(*) FROM jobs GROUP BY kind;
INSERT INTO stat_counters (name, key, n)
SELECT 'jobs_leased', '', COUNT(*) FROM jobs WHERE lease_token IS NOT NULL;
INSERT INTO stat_counters (name, key, n)
SELECT 'webhook_deliveries', status, COUNT(*) FROM webhook_deliveries GROUP BY status;
INSERT INTO stat_counters (name, key, n)
SELECT 'webhook_endpoints', 'enabled', COUNT(*) FROM webhook_endpoints
WHERE deleted = 0 AND enabled = 1;
INSERT INTO stat_counters (name, key, n)
SELECT 'webhook_endpoints', 'disabled', COUNT(*) FROM webhook_endpoints
WHERE deleted = 0 AND enabled = 0;
-- openapply_events_total was COUNT(*) of events until now: the counter carries on from there.
INSERT INTO stat_counters (name, key, n) SELECT 'events_written', '', COUNT(*) FROM events;
INSERT INTO stat_counters (name, key, n) SELECT 'events_stored', '', COUNT(*) FROM events;

-- Counts by a column's value are upserted (a value seen for the first time gets its row);
-- single numbers and the two endpoint states have their rows from the start and are updated.

-- ---- postings: by availability ----
CREATE TRIGGER stat_postings_insert AFTER INSERT ON postings
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('postings', NEW.availability, 1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER stat_postings_update AFTER UPDATE OF availability ON postings
WHEN OLD.availability IS NOT NEW.availability
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('postings', OLD.availability, -1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stat_counters (name, key, n) VALUES ('postings', NEW.availability, 1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER stat_postings_delete AFTER DELETE ON postings
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('postings', OLD.availability, -1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
END;

-- ---- applications: by status, and the review queue ----
CREATE TRIGGER stat_applications_insert AFTER INSERT ON applications
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('applications', NEW.status, 1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
    UPDATE stat_counters SET n = n + 1 WHERE name = 'review_queue' AND key = ''
    AND NEW.needs_review = 1 AND NEW.status = 'PENDING';
END;
CREATE TRIGGER stat_applications_update AFTER UPDATE OF status ON applications
WHEN OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('applications', OLD.status, -1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stat_counters (name, key, n) VALUES ('applications', NEW.status, 1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER stat_review_update AFTER UPDATE OF needs_review, status ON applications
WHEN (OLD.needs_review = 1 AND OLD.status = 'PENDING')
    IS NOT (NEW.needs_review = 1 AND NEW.status = 'PENDING')
BEGIN
    UPDATE stat_counters
    SET n = n + CASE WHEN NEW.needs_review = 1 AND NEW.status = 'PENDING' THEN 1 ELSE -1 END
    WHERE name = 'review_queue' AND key = '';
END;
CREATE TRIGGER stat_applications_delete AFTER DELETE ON applications
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('applications', OLD.status, -1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
    UPDATE stat_counters SET n = n - 1 WHERE name = 'review_queue' AND key = ''
    AND OLD.needs_review = 1 AND OLD.status = 'PENDING';
END;

-- ---- jobs: by kind, and leased ----
CREATE TRIGGER stat_jobs_insert AFTER INSERT ON jobs
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('jobs', NEW.kind, 1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
    UPDATE stat_counters SET n = n + 1 WHERE name = 'jobs_leased' AND key = ''
    AND NEW.lease_token IS NOT NULL;
END;
CREATE TRIGGER stat_jobs_update AFTER UPDATE OF kind ON jobs
WHEN OLD.kind IS NOT NEW.kind
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('jobs', OLD.kind, -1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stat_counters (name, key, n) VALUES ('jobs', NEW.kind, 1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
END;
-- A lease taken over (one token replacing another) changes nothing here.
CREATE TRIGGER stat_jobs_lease_update AFTER UPDATE OF lease_token ON jobs
WHEN (OLD.lease_token IS NULL) IS NOT (NEW.lease_token IS NULL)
BEGIN
    UPDATE stat_counters SET n = n + CASE WHEN NEW.lease_token IS NULL THEN -1 ELSE 1 END
    WHERE name = 'jobs_leased' AND key = '';
END;
CREATE TRIGGER stat_jobs_delete AFTER DELETE ON jobs
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('jobs', OLD.kind, -1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
    UPDATE stat_counters SET n = n - 1 WHERE name = 'jobs_leased' AND key = ''
    AND OLD.lease_token IS NOT NULL;
END;

-- ---- webhook deliveries: by status ----
CREATE TRIGGER stat_deliveries_insert AFTER INSERT ON webhook_deliveries
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('webhook_deliveries', NEW.status, 1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER stat_deliveries_update AFTER UPDATE OF status ON webhook_deliveries
WHEN OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('webhook_deliveries', OLD.status, -1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stat_counters (name, key, n) VALUES ('webhook_deliveries', NEW.status, 1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER stat_deliveries_delete AFTER DELETE ON webhook_deliveries
BEGIN
    INSERT INTO stat_counters (name, key, n) VALUES ('webhook_deliveries', OLD.status, -1)
    ON CONFLICT (name, key) DO UPDATE SET n = n + excluded.n;
END;

-- ---- webhook endpoints: enabled / disabled; soft-deleted ones (deleted = 1) not at all ----
-- The state of a row is CASE WHEN deleted = 0 AND enabled = 1 THEN 'enabled'
-- WHEN deleted = 0 AND enabled = 0 THEN 'disabled' END (NULL: not counted, matches no row).
CREATE TRIGGER stat_endpoints_insert AFTER INSERT ON webhook_endpoints
BEGIN
    UPDATE stat_counters SET n = n + 1 WHERE name = 'webhook_endpoints'
    AND key = CASE WHEN NEW.deleted = 0 AND NEW.enabled = 1 THEN 'enabled'
                   WHEN NEW.deleted = 0 AND NEW.enabled = 0 THEN 'disabled' END;
END;
CREATE TRIGGER stat_endpoints_update AFTER UPDATE OF enabled, deleted ON webhook_endpoints
WHEN CASE WHEN OLD.deleted = 0 AND OLD.enabled = 1 THEN 'enabled'
          WHEN OLD.deleted = 0 AND OLD.enabled = 0 THEN 'disabled' END
    IS NOT CASE WHEN NEW.deleted = 0 AND NEW.enabled = 1 THEN 'enabled'
                WHEN NEW.deleted = 0 AND NEW.enabled = 0 THEN 'disabled' END
BEGIN
    UPDATE stat_counters SET n = n - 1 WHERE name = 'webhook_endpoints'
    AND key = CASE WHEN OLD.deleted = 0 AND OLD.enabled = 1 THEN 'enabled'
                   WHEN OLD.deleted = 0 AND OLD.enabled = 0 THEN 'disabled' END;
    UPDATE stat_counters SET n = n + 1 WHERE name = 'webhook_endpoints'
    AND key = CASE WHEN NEW.deleted = 0 AND NEW.enabled = 1 THEN 'enabled'
                   WHEN NEW.deleted = 0 AND NEW.enabled = 0 THEN 'disabled' END;
END;
CREATE TRIGGER stat_endpoints_delete AFTER DELETE ON webhook_endpoints
BEGIN
    UPDATE stat_counters SET n = n - 1 WHERE name = 'webhook_endpoints'
    AND key = CASE WHEN OLD.deleted = 0 AND OLD.enabled = 1 THEN 'enabled'
                   WHEN OLD.deleted = 0 AND OLD.enabled = 0 THEN 'disabled' END;
END;

-- ---- events: written (monotonic: retention deletes do not lower it) and stored ----
CREATE TRIGGER stat_events_insert AFTER INSERT ON events
BEGIN
    UPDATE stat_counters SET n = n + 1
    WHERE name IN ('events_written', 'events_stored') AND key = '';
END;
CREATE TRIGGER stat_events_delete AFTER DELETE ON events
BEGIN
    UPDATE stat_counters SET n = n - 1 WHERE name = 'events_stored' AND key = '';
END;
