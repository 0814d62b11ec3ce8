-- 008_delivery_writes.sql: fewer index writes per delivered webhook.
--
-- Settling a delivery used to rewrite entries of six indexes, three of them on pages chosen at
-- random (text ids and resource ids), and every dirtied page is written to the WAL and then
-- back to the database by the checkpoint: about ten pages per delivery in a 100k drain.
--
-- * The chain index (per-resource order) holds pending deliveries only, without the status in
--   its key: settling removes one entry instead of moving it.
-- * The per-endpoint index keeps failed deliveries only (recover is its one reader).
-- * The lease-token index goes: a claim reads its rows back from RETURNING, and releasing
--   leases walks the pending deliveries (start and stop only).
-- * Attempts are keyed by the delivery's and the event's integer seq, which grow in the order
--   deliveries are drained, so one batch's attempt index entries share pages.
DROP INDEX webhook_deliveries_order;
CREATE INDEX webhook_deliveries_chain ON webhook_deliveries (endpoint_id, resource_id, event_seq)
    WHERE status = 'pending';
DROP INDEX webhook_deliveries_endpoint;
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (endpoint_id, seq)
    WHERE status = 'failed';
DROP INDEX webhook_deliveries_leased;

ALTER TABLE webhook_attempts ADD COLUMN delivery_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_attempts ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
UPDATE webhook_attempts SET
    delivery_seq = COALESCE((SELECT d.seq FROM webhook_deliveries d
                             WHERE d.id = webhook_attempts.delivery_id), 0),
    event_seq = COALESCE((SELECT ev.seq FROM events ev
                          WHERE ev.id = webhook_attempts.event_id), 0);
DROP INDEX webhook_attempts_delivery;
DROP INDEX webhook_attempts_event;
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_seq);
CREATE INDEX webhook_attempts_event ON webhook_attempts (event_seq, seq);
