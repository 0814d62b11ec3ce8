-- 002_rate_bucket.sql: an endpoint's rate-limit bucket, shared by the nodes.
--
-- Every node delivers to the same endpoints, so the bucket of rate_limit_per_second lives in
-- the endpoint's row: rl_milli thousandths of a token as of rl_at (wall ms), read and spent by
-- a dispatcher round under the row's lock (FOR UPDATE). NULL = a full bucket.
ALTER TABLE webhook_endpoints ADD COLUMN rl_milli BIGINT;
ALTER TABLE webhook_endpoints ADD COLUMN rl_at BIGINT;
