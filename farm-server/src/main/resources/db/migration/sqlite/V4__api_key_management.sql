-- API keys an operator manages (farm keys list / revoke / create --expires --read-only --note).
-- Times are epoch milliseconds; null means never (expiry, last use, revocation).
ALTER TABLE api_keys ADD COLUMN key_id TEXT;          -- public id: the key's first 8 characters after 'farm_'
ALTER TABLE api_keys ADD COLUMN expire_time INTEGER;
ALTER TABLE api_keys ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN note TEXT;
ALTER TABLE api_keys ADD COLUMN last_use_time INTEGER; -- to the minute, written at most once a minute
ALTER TABLE api_keys ADD COLUMN revoke_time INTEGER;   -- revoked keys stay listed, never let in

-- Keys made before ids existed: only their hash is known, so their id is its first 8 hex digits.
UPDATE api_keys SET key_id = substr(key_hash, 1, 8) WHERE key_id IS NULL;
-- The first key of the default farm is the admin key the first start made (admin.key).
UPDATE api_keys SET note = 'admin key, made on first start'
  WHERE rowid = (SELECT rowid FROM api_keys WHERE farm = 'default'
                 ORDER BY create_time, rowid LIMIT 1);

CREATE UNIQUE INDEX api_keys_by_id ON api_keys (key_id);

-- The key that started a session: a chunk sent without a key is let in only while it is valid.
ALTER TABLE upload_sessions ADD COLUMN key_id TEXT;
