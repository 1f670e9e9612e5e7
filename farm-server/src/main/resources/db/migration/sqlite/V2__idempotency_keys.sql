-- Idempotency-Key of one-request uploads (simple, multipart): the animal a key's first
-- successful request produced, so that a retry whose 200 was lost gets that animal back
-- instead of making a second one. Times are epoch milliseconds.
CREATE TABLE idempotency_keys (
  farm        TEXT NOT NULL,
  key         TEXT NOT NULL,      -- the client's header value, opaque
  animal_id   TEXT NOT NULL,
  expire_time INTEGER NOT NULL,
  PRIMARY KEY (farm, key)
);

CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expire_time);
