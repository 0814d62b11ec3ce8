-- 010_rate_bucket.sql: an endpoint's rate-limit bucket, shared by the nodes.
--
-- Over a shared database (PostgreSQL) every node delivers to the same endpoints, so the bucket
-- of rate_limit_per_second lives in the endpoint's row: rl_milli thousandths of a token as of
-- rl_at (wall ms), read and spent by a dispatcher round under the row's lock. NULL = full.
-- On SQLite one process delivers and keeps the bucket in memory; the columns stay unused.
ALTER TABLE webhook_endpoints ADD COLUMN rl_milli INTEGER;
ALTER TABLE webhook_endpoints ADD COLUMN rl_at INTEGER;
