-- 002_webhooks.sql: endpoints, deliveries (one per event and subscribed endpoint, written in
-- the event's transaction) and the attempt log.

CREATE TABLE webhook_endpoints (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    url TEXT NOT NULL,
    description TEXT,
    event_types TEXT,              -- JSON array, NULL = every API event type
    enabled INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    disabled_at BIGINT,
    secret TEXT NOT NULL,          -- whsec_..., needed to sign
    old_secret TEXT,               -- previous secret during a rotation's grace period
    old_secret_expires_at BIGINT,
    failing_since BIGINT,          -- first failed attempt of the current failure streak
    deleted INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant, deleted, seq);

CREATE TABLE webhook_deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    event_seq INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    resource_id TEXT NOT NULL,     -- ordering key: one resource's events go out in order
    status TEXT NOT NULL,          -- pending | delivered | failed | cancelled
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_token TEXT,
    last_status_code INTEGER,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, resource_id, status, event_seq);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, status, created_at);

CREATE TABLE webhook_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    attempted_at BIGINT NOT NULL,
    status_code INTEGER,           -- NULL when no HTTP answer
    latency_ms BIGINT NOT NULL,
    error TEXT,
    response_excerpt TEXT
);
CREATE INDEX webhook_attempts_event ON webhook_attempts (event_id, seq);

CREATE INDEX events_type ON events (tenant, type, seq);
