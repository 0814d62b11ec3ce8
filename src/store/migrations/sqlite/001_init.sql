-- 001_init.sql: the engine's tables. Times are epoch milliseconds (BIGINT). Every tenant-owned
-- row carries its tenant; every list is ordered by an insertion sequence (seq), which is also
-- the pagination key.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- API keys are stored hashed (SHA-256 hex); the key itself is shown once and never kept.
CREATE TABLE api_keys (
    key_hash TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    source TEXT NOT NULL,          -- 'flag' (--api-key) or 'generated'
    created_at BIGINT NOT NULL
);

CREATE TABLE career_sites (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX career_sites_tenant ON career_sites (tenant, seq);
CREATE INDEX career_sites_label ON career_sites (tenant, label);

CREATE TABLE job_feeds (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    import_lease_until BIGINT,     -- one import at a time per feed
    import_lease_token TEXT
);
CREATE INDEX job_feeds_tenant ON job_feeds (tenant, seq);

CREATE TABLE postings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    career_site_id TEXT NOT NULL REFERENCES career_sites (id),
    job_feed_id TEXT REFERENCES job_feeds (id),
    url TEXT NOT NULL,
    job_code TEXT,
    identity_key TEXT NOT NULL,    -- sha256(tenant, feed, site, url, job_code): one posting each
    loc_country TEXT,
    loc_postal TEXT,
    availability TEXT NOT NULL,
    archived_reason TEXT,
    archived_at BIGINT,
    revision_id TEXT,              -- current form revision
    parse_failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX postings_identity ON postings (identity_key);
CREATE INDEX postings_tenant ON postings (tenant, seq);
CREATE INDEX postings_site ON postings (career_site_id, seq);
CREATE INDEX postings_feed ON postings (job_feed_id, seq);
CREATE INDEX postings_job_code ON postings (tenant, job_code);

CREATE TABLE form_revisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    posting_id TEXT NOT NULL REFERENCES postings (id),
    content_hash TEXT NOT NULL,
    form TEXT NOT NULL,            -- oa_form_to_json(OA_FORM_INTERNAL)
    created_at BIGINT NOT NULL
);
CREATE INDEX form_revisions_posting ON form_revisions (posting_id, seq);

CREATE TABLE applications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    posting_id TEXT NOT NULL REFERENCES postings (id),
    revision_id TEXT NOT NULL REFERENCES form_revisions (id),
    candidate_email TEXT NOT NULL,
    email_lower TEXT NOT NULL,
    status TEXT NOT NULL,
    needs_review INTEGER NOT NULL DEFAULT 0,
    review_reason TEXT,
    decision_reason TEXT,
    answers TEXT,                  -- validated answers; NULL once the application is final
    query_params TEXT,
    additional_clicks INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX applications_tenant ON applications (tenant, seq);
CREATE INDEX applications_posting ON applications (posting_id, email_lower);
CREATE INDEX applications_review ON applications (tenant, needs_review, seq);

-- Submission tokens are single use: the jti of every accepted application.
CREATE TABLE used_tokens (
    jti TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

-- Durable work queue: one row per (kind, ref_id); a worker leases a row (lease_until) and a
-- crash returns it to the queue when the lease runs out (or at once on restart).
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,            -- 'parse' (first parse, retries, refresh) | 'apply'
    ref_id TEXT NOT NULL,          -- posting id or application id
    tenant TEXT NOT NULL,
    run_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until BIGINT,
    lease_token TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE INDEX jobs_due ON jobs (run_at);
CREATE INDEX jobs_lease ON jobs (kind, tenant, lease_until);

-- Transactional outbox: written in the same transaction as the state change it reports.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    body TEXT NOT NULL,            -- the exact webhook body
    created_at BIGINT NOT NULL
);
CREATE INDEX events_tenant ON events (tenant, seq);
CREATE INDEX events_resource ON events (resource_id, seq);
