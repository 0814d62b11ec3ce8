-- 012_tenant_stats.sql: the figures of one tenant, for its dashboard (GET /v1/stats), kept as
-- they change so that reading them never counts a growing table.
--
-- tenant_counters: per tenant, postings by availability, applications by status and the review
-- queue ('review_queue', ''), kept by triggers like stat_counters (004_counters.sql), starting
-- from the rows already there. shard is always 0 here (PostgreSQL spreads writers over shards).
--
-- delivery_minutes: per endpoint and minute, the attempts delivered and failed and their
-- latencies as a histogram (b0..b11: at most 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
-- 10000 ms, and more), added by the dispatcher's settle transaction (one row per endpoint and
-- minute and round, not per attempt), and deleted by the retention sweep after a day.

CREATE TABLE tenant_counters (
    tenant TEXT NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    shard INTEGER NOT NULL DEFAULT 0,
    n INTEGER NOT NULL,
    PRIMARY KEY (tenant, name, key, shard)
) WITHOUT ROWID;

INSERT INTO tenant_counters (tenant, name, key, n)
SELECT tenant, 'postings', availability, COUNT(*) FROM postings GROUP BY tenant, availability;
INSERT INTO tenant_counters (tenant, name, key, n)
SELECT tenant, 'applications', status, COUNT(*) FROM applications GROUP BY tenant, status;
INSERT INTO tenant_counters (tenant, name, key, n)
SELECT tenant, 'review_queue', '', COUNT(*) FROM applications
WHERE needs_review = 1 AND status = 'PENDING' GROUP BY tenant;

CREATE TRIGGER tc_postings_insert AFTER INSERT ON postings
BEGIN
    INSERT INTO tenant_counters (tenant, name, key, n) VALUES (NEW.tenant, 'postings', NEW.availability, 1)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tc_postings_update AFTER UPDATE OF availability ON postings
WHEN OLD.availability IS NOT NEW.availability
BEGIN
    INSERT INTO tenant_counters (tenant, name, key, n) VALUES (OLD.tenant, 'postings', OLD.availability, -1)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
    INSERT INTO tenant_counters (tenant, name, key, n) VALUES (NEW.tenant, 'postings', NEW.availability, 1)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tc_postings_delete AFTER DELETE ON postings
BEGIN
    INSERT INTO tenant_counters (tenant, name, key, n) VALUES (OLD.tenant, 'postings', OLD.availability, -1)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER tc_applications_insert AFTER INSERT ON applications
BEGIN
    INSERT INTO tenant_counters (tenant, name, key, n) VALUES (NEW.tenant, 'applications', NEW.status, 1)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
    INSERT INTO tenant_counters (tenant, name, key, n)
    SELECT NEW.tenant, 'review_queue', '', 1 WHERE NEW.needs_review = 1 AND NEW.status = 'PENDING'
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tc_applications_update AFTER UPDATE OF status ON applications
WHEN OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO tenant_counters (tenant, name, key, n) VALUES (OLD.tenant, 'applications', OLD.status, -1)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
    INSERT INTO tenant_counters (tenant, name, key, n) VALUES (NEW.tenant, 'applications', NEW.status, 1)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tc_review_update AFTER UPDATE OF needs_review, status ON applications
WHEN (OLD.needs_review = 1 AND OLD.status = 'PENDING')
    IS NOT (NEW.needs_review = 1 AND NEW.status = 'PENDING')
BEGIN
    INSERT INTO tenant_counters (tenant, name, key, n)
    VALUES (NEW.tenant, 'review_queue', '',
            CASE WHEN NEW.needs_review = 1 AND NEW.status = 'PENDING' THEN 1 ELSE -1 END)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tc_applications_delete AFTER DELETE ON applications
BEGIN
    INSERT INTO tenant_counters (tenant, name, key, n) VALUES (OLD.tenant, 'applications', OLD.status, -1)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
    INSERT INTO tenant_counters (tenant, name, key, n)
    SELECT OLD.tenant, 'review_queue', '', -1 WHERE OLD.needs_review = 1 AND OLD.status = 'PENDING'
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = n + excluded.n;
END;

CREATE TABLE delivery_minutes (
    endpoint_id TEXT NOT NULL,
    minute BIGINT NOT NULL,          -- epoch ms of the minute's start
    shard INTEGER NOT NULL DEFAULT 0,
    tenant TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    b0 INTEGER NOT NULL DEFAULT 0, b1 INTEGER NOT NULL DEFAULT 0, b2 INTEGER NOT NULL DEFAULT 0,
    b3 INTEGER NOT NULL DEFAULT 0, b4 INTEGER NOT NULL DEFAULT 0, b5 INTEGER NOT NULL DEFAULT 0,
    b6 INTEGER NOT NULL DEFAULT 0, b7 INTEGER NOT NULL DEFAULT 0, b8 INTEGER NOT NULL DEFAULT 0,
    b9 INTEGER NOT NULL DEFAULT 0, b10 INTEGER NOT NULL DEFAULT 0, b11 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (endpoint_id, minute, shard)
) WITHOUT ROWID;
CREATE INDEX delivery_minutes_tenant ON delivery_minutes (tenant, minute);
CREATE INDEX delivery_minutes_minute ON delivery_minutes (minute);
