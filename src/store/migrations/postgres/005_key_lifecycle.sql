-- 005_key_lifecycle.sql: API keys can be revoked and can expire (`openapply keys`); see
-- sqlite/013_key_lifecycle.sql for why.
--
-- key_id: the first 12 hex characters of key_hash (what operators see and type); label: an
-- optional note; expires_at, revoked_at: epoch ms, NULL for never. Revoking is one UPDATE that
-- every node sees on its next request (keys are read per request, not cached).
-- source gains a third value, 'cli' (`openapply keys create`), beside 'flag' and 'generated'.
ALTER TABLE api_keys ADD COLUMN key_id TEXT;
ALTER TABLE api_keys ADD COLUMN label TEXT;
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT;
UPDATE api_keys SET key_id = substr(key_hash, 1, 12);
CREATE INDEX api_keys_key_id ON api_keys (key_id);
