-- 006_jobs.sql: job claims and wake-ups whose cost does not grow with the queue.
--
-- A claim looks for the oldest due unleased job of one kind (apply first), skipping tenants at
-- their parse limit, which it reads from the few leased rows; the next due time comes from the
-- oldest unleased job and the earliest lease expiry. Each is a short walk of an index.
CREATE INDEX jobs_kind_due ON jobs (kind, run_at, id);
CREATE INDEX jobs_leased ON jobs (lease_until, tenant, kind) WHERE lease_token IS NOT NULL;
