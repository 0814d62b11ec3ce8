-- 013_key_lifecycle.sql: API keys can be revoked and can expire (`openapply keys`).
--
-- A leaked key must stop working at once, on every node, without restarting anything: the
-- engine reads its key's row on every request, so revoking is one UPDATE of revoked_at. A key
-- may be made with an end of life (expires_at); past it the key is rejected like an unknown one.
-- Rows are kept after revocation (who made what, when it stopped) and so that a revoked
-- --api-key given again at the next start stays revoked instead of coming back.
--
-- key_id: the first 12 hex characters of key_hash, the name operators see and type (`keys list`,
-- `keys revoke`, the auth.rejected log line): enough to tell keys apart, too short to help
-- anyone find the key. Not unique by constraint (48 bits; `keys revoke` refuses an ambiguous
-- prefix). label: an optional note given at `keys create`. Times are epoch ms, NULL for never.
-- source gains a third value, 'cli' (`openapply keys create`), beside 'flag' and 'generated'.
ALTER TABLE api_keys ADD COLUMN key_id TEXT;
ALTER TABLE api_keys ADD COLUMN label TEXT;
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;
UPDATE api_keys SET key_id = substr(key_hash, 1, 12);
CREATE INDEX api_keys_key_id ON api_keys (key_id);
