-- Fault injection keeps its own state (the retry tests live in memory, with the sessions they
-- bound), so the sessions table no longer carries a retry test id. The blob store's state of a
-- session's staging blob (an S3 store: multipart upload id, part ETags, staged tail objects) is
-- recorded with the offset it makes durable, in the same UPDATE.
ALTER TABLE upload_sessions DROP COLUMN retry_test_id;
ALTER TABLE upload_sessions ADD COLUMN blob_state TEXT;
