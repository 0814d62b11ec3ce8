-- 015_apply_attempts.sql: what each attempt to submit an application did, for the operator.
--
-- One row per recorded apply attempt (written in the same transaction as the attempt's
-- result, under the job's lease, so a worker that lost its lease records nothing): the
-- driver, the step it ended in (read, upload, submit), the outcome (submitted, review, retry,
-- offline, unknown), the reason, the career site's HTTP status and URL (without its query,
-- which can carry a connector's key) and up to 2 KiB of its answer. The dashboard shows them
-- as the application's history (GET /v1/ai-apply/applications/{id}).
CREATE TABLE apply_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    driver TEXT NOT NULL,
    step TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    http_status INTEGER,           -- NULL when no HTTP answer
    url TEXT,
    response_excerpt TEXT
);
CREATE INDEX apply_attempts_app ON apply_attempts (application_id, seq);
