-- The shared metadata store of a cluster. Same model as the SQLite schema (db/migration/sqlite,
-- V1..V4 together); times are epoch milliseconds (null: never), sizes bytes (-1: unknown).

CREATE TABLE api_keys (
  seq           BIGINT GENERATED ALWAYS AS IDENTITY, -- oldest first among equal create times
  key_id        TEXT NOT NULL UNIQUE, -- public id: the key's first 8 characters after 'farm_'
  key_hash      TEXT PRIMARY KEY,     -- SHA-256 hex of the key; the key itself is never stored
  farm          TEXT NOT NULL,
  create_time   BIGINT NOT NULL,
  expire_time   BIGINT,
  read_only     BOOLEAN NOT NULL DEFAULT FALSE,
  note          TEXT,
  last_use_time BIGINT,               -- to the minute, written at most once a minute
  revoke_time   BIGINT                -- revoked keys stay listed, never let in
);

CREATE TABLE animals (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- stable paging order
  farm         TEXT NOT NULL,
  id           TEXT NOT NULL,
  name         TEXT,
  species      TEXT,
  etag         TEXT NOT NULL,
  create_time  BIGINT NOT NULL,
  update_time  BIGINT NOT NULL,
  blob_key     TEXT,
  content_type TEXT,
  media_size   BIGINT,
  md5          TEXT,
  crc32c       TEXT,
  UNIQUE (farm, id)
);

CREATE TABLE upload_sessions (
  id               TEXT PRIMARY KEY,
  farm             TEXT NOT NULL,
  method_id        TEXT NOT NULL,
  animal_id        TEXT,
  has_fields       BOOLEAN NOT NULL,
  name             TEXT,
  species          TEXT,
  content_type     TEXT NOT NULL,
  total            BIGINT NOT NULL,
  committed        BIGINT NOT NULL,  -- the fence: every progress write compares it
  state            TEXT NOT NULL,
  blob_key         TEXT NOT NULL,
  blob_state       TEXT,             -- the blob store's state for committed (S3: parts, tail)
  result_animal_id TEXT,
  create_time      BIGINT NOT NULL,
  expire_time      BIGINT NOT NULL,
  key_id           TEXT              -- the key that started it: keyless chunks need it valid
);

CREATE INDEX upload_sessions_by_expiry ON upload_sessions (expire_time);
CREATE INDEX upload_sessions_by_farm ON upload_sessions (farm, state, create_time);

CREATE TABLE idempotency_keys (
  farm        TEXT NOT NULL,
  key         TEXT NOT NULL,
  animal_id   TEXT NOT NULL,
  expire_time BIGINT NOT NULL,
  PRIMARY KEY (farm, key)
);

CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expire_time);
