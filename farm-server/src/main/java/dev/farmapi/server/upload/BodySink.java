package dev.farmapi.server.upload;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the bytes of a request body go when they are pushed in, a window at a time, by whoever
 * reads the network, instead of being pulled by a thread that waits for them. The HTTP layer
 * reads bodies without holding a thread per client and calls a sink on a worker only when bytes
 * are there; {@link BodyCopier#feed} pushes a blocking channel through the same sink, so both
 * ways share one implementation of what a body does to the store.
 *
 * <p>Calls come one at a time, possibly each on another thread. Exactly one of {@link #end},
 * {@link #fail} or {@link #abandon} ends a sink and releases what it holds (a session's lock, an
 * open blob); a {@link #write} that throws has ended it already. Ending twice does nothing.
 *
 * @param <T> what the body leads to: a {@link StagedMedia}, a {@link ChunkResult}
 */
public interface BodySink<T> {

  /**
   * Takes all of {@code bytes}.
   *
   * @throws IOException when they cannot be kept (an {@link UploadException} for the store, too
   *     many bytes, ...); the sink has then ended
   */
  void write(ByteBuffer bytes) throws IOException;

  /** The body ended after the bytes written: finishes the work and returns its outcome. */
  T end() throws IOException;

  /**
   * The body broke after the bytes written (the client went away or silent, an injected fault):
   * keeps what the sink's contract says arrived bytes keep, then throws {@code cause} (or a
   * storage failure, when keeping failed). Never returns normally.
   */
  T fail(IOException cause) throws IOException;

  /** Drops the work without recording anything: the request ended for a reason of its own. */
  void abandon();
}
