-- 004_tenant_stats.sql: the figures of one tenant, for its dashboard (GET /v1/stats), kept as
-- they change so that reading them never counts a growing table (see sqlite/012_tenant_stats.sql).
--
-- As stat_counters, tenant_counters is sharded (pg_backend_pid() % 64) so that concurrent
-- writers rarely touch the same row; a count is the sum of its shards. delivery_minutes rows are
-- sharded by the node's settle connection the same way.

CREATE TABLE tenant_counters (
    tenant TEXT NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    shard BIGINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL,
    PRIMARY KEY (tenant, name, key, shard)
);

INSERT INTO tenant_counters (tenant, name, key, n)
SELECT tenant, 'postings', availability, COUNT(*) FROM postings GROUP BY tenant, availability;
INSERT INTO tenant_counters (tenant, name, key, n)
SELECT tenant, 'applications', status, COUNT(*) FROM applications GROUP BY tenant, status;
INSERT INTO tenant_counters (tenant, name, key, n)
SELECT tenant, 'review_queue', '', COUNT(*) FROM applications
WHERE needs_review = 1 AND status = 'PENDING' GROUP BY tenant;

CREATE FUNCTION tc_add(c_tenant text, c_name text, c_key text, delta bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO tenant_counters (tenant, name, key, shard, n)
    VALUES (c_tenant, c_name, c_key, pg_backend_pid() % 64, delta)
    ON CONFLICT (tenant, name, key, shard) DO UPDATE SET n = tenant_counters.n + excluded.n
$$;

CREATE FUNCTION tc_postings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM tc_add(OLD.tenant, 'postings', OLD.availability, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM tc_add(NEW.tenant, 'postings', NEW.availability, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER tc_postings_insert AFTER INSERT OR DELETE ON postings
FOR EACH ROW EXECUTE FUNCTION tc_postings();
CREATE TRIGGER tc_postings_update AFTER UPDATE OF availability ON postings
FOR EACH ROW WHEN (OLD.availability IS DISTINCT FROM NEW.availability)
EXECUTE FUNCTION tc_postings();

CREATE FUNCTION tc_applications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'DELETE' OR OLD.status IS DISTINCT FROM NEW.status THEN
            PERFORM tc_add(OLD.tenant, 'applications', OLD.status, -1);
        END IF;
        IF OLD.needs_review = 1 AND OLD.status = 'PENDING' THEN
            PERFORM tc_add(OLD.tenant, 'review_queue', '', -1);
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status THEN
            PERFORM tc_add(NEW.tenant, 'applications', NEW.status, 1);
        END IF;
        IF NEW.needs_review = 1 AND NEW.status = 'PENDING' THEN
            PERFORM tc_add(NEW.tenant, 'review_queue', '', 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER tc_applications_insert AFTER INSERT OR DELETE ON applications
FOR EACH ROW EXECUTE FUNCTION tc_applications();
CREATE TRIGGER tc_applications_update AFTER UPDATE OF status, needs_review ON applications
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
    OR (OLD.needs_review = 1 AND OLD.status = 'PENDING')
       IS DISTINCT FROM (NEW.needs_review = 1 AND NEW.status = 'PENDING'))
EXECUTE FUNCTION tc_applications();

CREATE TABLE delivery_minutes (
    endpoint_id TEXT NOT NULL,
    minute BIGINT NOT NULL,
    shard BIGINT NOT NULL DEFAULT 0,
    tenant TEXT NOT NULL,
    delivered BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    b0 BIGINT NOT NULL DEFAULT 0, b1 BIGINT NOT NULL DEFAULT 0, b2 BIGINT NOT NULL DEFAULT 0,
    b3 BIGINT NOT NULL DEFAULT 0, b4 BIGINT NOT NULL DEFAULT 0, b5 BIGINT NOT NULL DEFAULT 0,
    b6 BIGINT NOT NULL DEFAULT 0, b7 BIGINT NOT NULL DEFAULT 0, b8 BIGINT NOT NULL DEFAULT 0,
    b9 BIGINT NOT NULL DEFAULT 0, b10 BIGINT NOT NULL DEFAULT 0, b11 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (endpoint_id, minute, shard)
);
CREATE INDEX delivery_minutes_tenant ON delivery_minutes (tenant, minute);
CREATE INDEX delivery_minutes_minute ON delivery_minutes (minute);
