-- 003_delivery.sql: claims whose cost does not depend on the backlog, per-endpoint rate limits
-- and retention.
--
-- `ready` marks the head of each (endpoint, resource) chain: the pending delivery with the
-- lowest event_seq. Only heads can be claimed, so per-resource order needs no NOT EXISTS at
-- claim time. It is set on insert (no earlier pending delivery of the chain) and handed on when
-- a head leaves `pending` (store_delivery_settle), both by indexed lookups.
--
-- A claimed delivery carries its lease expiry in next_attempt_at as well as lease_until, so that
-- "due" (next_attempt_at <= now) also means "not leased, or its lease ran out": one index
-- serves the claim and the next wake-up time.
ALTER TABLE webhook_deliveries ADD COLUMN ready INTEGER NOT NULL DEFAULT 0;

UPDATE webhook_deliveries SET ready = 1
WHERE status = 'pending' AND NOT EXISTS (
    SELECT 1 FROM webhook_deliveries p
    WHERE p.endpoint_id = webhook_deliveries.endpoint_id
      AND p.resource_id = webhook_deliveries.resource_id
      AND p.status = 'pending' AND p.event_seq < webhook_deliveries.event_seq);

UPDATE webhook_deliveries SET next_attempt_at = lease_until
WHERE status = 'pending' AND lease_until IS NOT NULL AND lease_until > next_attempt_at;

DROP INDEX webhook_deliveries_due;
-- The claim and the wake-up: ready heads of one endpoint by due time.
CREATE INDEX webhook_deliveries_ready ON webhook_deliveries (endpoint_id, next_attempt_at, seq)
    WHERE status = 'pending' AND ready = 1;
-- Reading back a claim, and releasing leases at start and stop.
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (lease_token)
    WHERE lease_token IS NOT NULL;
-- Retention: finished deliveries by age.
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at)
    WHERE status <> 'pending';
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);
CREATE INDEX events_created ON events (created_at);

-- Optional per-endpoint rate limit (deliveries per second); NULL = none.
ALTER TABLE webhook_endpoints ADD COLUMN rate_limit_per_second INTEGER;
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (seq)
    WHERE enabled = 1 AND deleted = 0;
