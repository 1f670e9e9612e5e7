package dev.farmapi.server.upload;

import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.SessionLocks;
import dev.farmapi.server.store.UploadSession;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The body of one chunk PUT, appended to its session's blob under the session's lock, which it
 * holds from {@link ResumableSessions#begin} until it ends. The bytes the session already holds
 * are skipped; the rest is appended at the recorded offset and hashed. At the end, and also when
 * the body breaks midway, what arrived is fsynced, then recorded (fenced), and only then answered
 * or rethrown: the {@code Range} a 308 reports is a promise. When the store fails nothing is
 * recorded and the session stays as it was.
 */
final class ChunkReceiver implements BodySink<ChunkResult> {
  private final ResumableSessions sessions;
  private final SessionLocks.Held held;
  private final UploadSession session;
  private final ChunkRange range;
  private final long total;
  private final long contentLength;
  private final BlobStore.Appender out;
  /** Null when the running hash is lost: completion then rehashes the blob. */
  private final MediaHasher hasher;
  private long skipLeft;
  private long received;
  private boolean ended;
  private boolean released;

  ChunkReceiver(ResumableSessions sessions, SessionLocks.Held held, UploadSession session,
      ChunkRange range, long total, long contentLength, BlobStore.Appender out,
      MediaHasher hasher) {
    this.sessions = sessions;
    this.held = held;
    this.session = session;
    this.range = range;
    this.total = total;
    this.contentLength = contentLength;
    this.out = out;
    this.hasher = hasher;
    this.skipLeft = session.committed() - range.first();
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    received += bytes.remaining();
    if (received > range.length()) {
      // Only a chunked or encoded body, which has no length to check up front, gets here.
      // Nothing is synced or recorded, so the next append cuts what was written.
      drop();
      throw UploadException.invalid("invalidContentRange", "the body carries more bytes than"
          + " Content-Range " + range + " names; send exactly those bytes");
    }
    if (skipLeft > 0) {
      int skipped = (int) Math.min(skipLeft, bytes.remaining());
      bytes.position(bytes.position() + skipped); // bytes the session holds already
      skipLeft -= skipped;
    }
    if (hasher != null) {
      hasher.update(bytes);
    }
    Uploads.writeAll(out, bytes, this::drop);
  }

  @Override
  public ChunkResult end() throws IOException {
    if (received < range.length()) {
      return fail(new TruncatedBodyException(received, range.length()));
    }
    try {
      UploadSession now = keep();
      if (now.committed() == total) {
        return sessions.finish(now, total);
      }
      return new ChunkResult.Incomplete(now.committed());
    } finally {
      release();
    }
  }

  /** What arrived is the client's, in order, at the right offset: it is kept, then rethrown. */
  @Override
  public ChunkResult fail(IOException cause) throws IOException {
    try {
      keep();
    } finally {
      release();
    }
    throw cause;
  }

  @Override
  public void abandon() {
    drop();
  }

  /** Syncs what was written, records it (fenced) and returns the session as recorded now. */
  private UploadSession keep() {
    if (ended) {
      throw new IllegalStateException("chunk of session " + session.id() + " already ended");
    }
    ended = true;
    long committed;
    String state;
    try (out) {
      state = out.sync(); // the Range we report is a promise
      committed = out.position();
    } catch (IOException e) {
      throw Uploads.storageFailure(e);
    }
    return sessions.recordReceived(session, committed, total, state, hasher);
  }

  /** Ends without recording anything; closing the appender unsynced leaves nothing promised. */
  private void drop() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      out.close();
    } catch (IOException | RuntimeException e) {
      // nothing was promised; the next append cuts the blob back to the recorded offset
    } finally {
      release();
    }
  }

  private void release() {
    if (!released) {
      released = true;
      held.close();
    }
  }
}
