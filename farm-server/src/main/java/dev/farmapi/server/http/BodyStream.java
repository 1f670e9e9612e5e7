package dev.farmapi.server.http;

import dev.farmapi.server.upload.BodyCopier;
import dev.farmapi.server.upload.BodySink;

/**
 * A request body pushed into a {@link BodySink} a window at a time: a worker writes each window
 * the {@link BodyReader} gathered, then lets go; while the client sends the next one no thread
 * waits. The sink is opened (its session's lock taken, its blob opened) only once the first
 * window is there, so a client that never sends its body never holds either.
 *
 * <p>A body Jetty cannot hand over as is (gzip-encoded: the decoder pulls) goes through the same
 * sink from a blocking channel once its first window is in: it holds a worker while it waits for
 * the rest.
 *
 * @param <T> what the body leads to
 */
final class BodyStream<T> {
  /** Opens the sink, or answers without the body. Runs on a worker, after the first window. */
  interface Opener<T> {
    Opened<T> open() throws Exception;
  }

  /** What the rest of the request does with the sink's outcome; runs on a worker. */
  interface Then<T> {
    void accept(T result) throws Exception;
  }

  /**
   * @param answer the outcome when the body is not needed after all, else null
   * @param sink the body's sink, else null
   * @param held released once the request is done with the outcome (a lock), or null
   */
  record Opened<T>(T answer, BodySink<T> sink, AutoCloseable held) {
    static <T> Opened<T> answer(T answer, AutoCloseable held) {
      return new Opened<>(answer, null, held);
    }

    static <T> Opened<T> sink(BodySink<T> sink, AutoCloseable held) {
      return new Opened<>(null, sink, held);
    }
  }

  private final Exchange ex;
  private final Opener<T> opener;
  private final Then<T> then;
  private BodySink<T> sink;
  private AutoCloseable held;
  private boolean opened;

  private BodyStream(Exchange ex, Opener<T> opener, Then<T> then) {
    this.ex = ex;
    this.opener = opener;
    this.then = then;
  }

  /** Starts on the calling worker; the rest follows as the body arrives. */
  static <T> void start(Exchange ex, Opener<T> opener, Then<T> then) {
    BodyStream<T> stream = new BodyStream<>(ex, opener, then);
    if (ex.encoded()) {
      ex.afterBody(BodyReader.GATE, stream::pull);
    } else {
      stream.push();
    }
  }

  private void push() {
    try {
      while (true) {
        BodyReader.Window window = ex.reader()
            .poll(opened ? BodyReader.WINDOW : BodyReader.GATE, this::push, false);
        if (window == null) {
          return; // resumed on a worker when the next window is in
        }
        if (!opened) {
          if (!window.bytes().hasRemaining() && window.failure() != null) {
            throw window.failure(); // nothing arrived: nothing to keep, no lock to take
          }
          if (open()) {
            return;
          }
        }
        if (window.bytes().hasRemaining()) {
          sink.write(window.bytes());
        }
        if (window.failure() != null) {
          sink.fail(window.failure());
          throw window.failure(); // fail() throws; this is for the compiler
        }
        if (window.last()) {
          finish(sink.end());
          return;
        }
      }
    } catch (Throwable e) {
      failed(e);
    }
  }

  private void pull() throws Exception {
    try {
      if (!open()) {
        finish(BodyCopier.feed(ex.body(), sink));
      }
    } catch (Throwable e) {
      failed(e);
    }
  }

  /** Opens the sink; true when the request was answered without its body. */
  private boolean open() throws Exception {
    opened = true;
    Opened<T> o = opener.open();
    held = o.held();
    if (o.answer() != null) {
      finish(o.answer());
      return true;
    }
    sink = o.sink();
    ex.reader().handOverPartialWindows(); // a slow client's bytes go to the sink, not wait
    return false;
  }

  private void finish(T result) throws Exception {
    try {
      then.accept(result);
    } finally {
      release();
    }
  }

  private void failed(Throwable e) {
    if (sink != null) {
      sink.abandon(); // nothing if it ended already
    }
    release();
    ex.fail(e);
  }

  private void release() {
    AutoCloseable h = held;
    held = null;
    if (h != null) {
      try {
        h.close();
      } catch (Exception e) {
        throw new IllegalStateException("releasing " + h + " failed", e);
      }
    }
  }
}
