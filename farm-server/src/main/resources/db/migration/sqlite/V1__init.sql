-- Times are epoch milliseconds. Sizes are bytes; -1 means unknown.

CREATE TABLE api_keys (
  key_hash    TEXT PRIMARY KEY,   -- SHA-256 hex of the key; the key itself is never stored
  farm        TEXT NOT NULL,
  create_time INTEGER NOT NULL
);

CREATE TABLE animals (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT, -- stable paging order, never reused
  farm         TEXT NOT NULL,
  id           TEXT NOT NULL,
  name         TEXT,
  species      TEXT,
  etag         TEXT NOT NULL,
  create_time  INTEGER NOT NULL,
  update_time  INTEGER NOT NULL,
  blob_key     TEXT,
  content_type TEXT,
  media_size   INTEGER,
  md5          TEXT,
  crc32c       TEXT,
  UNIQUE (farm, id)
);

CREATE TABLE upload_sessions (
  id               TEXT PRIMARY KEY,
  farm             TEXT NOT NULL,
  method_id        TEXT NOT NULL,
  animal_id        TEXT,
  has_fields       INTEGER NOT NULL,
  name             TEXT,
  species          TEXT,
  content_type     TEXT NOT NULL,
  total            INTEGER NOT NULL,
  committed        INTEGER NOT NULL,
  state            TEXT NOT NULL,
  blob_key         TEXT NOT NULL,
  result_animal_id TEXT,
  retry_test_id    TEXT,
  create_time      INTEGER NOT NULL,
  expire_time      INTEGER NOT NULL
);

CREATE INDEX upload_sessions_by_expiry ON upload_sessions (expire_time);
CREATE INDEX upload_sessions_by_farm ON upload_sessions (farm, state, create_time);
