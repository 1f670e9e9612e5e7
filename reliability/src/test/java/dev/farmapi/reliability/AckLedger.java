package dev.farmapi.reliability;

import dev.farmapi.apiclient.ResumableSession;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every offset a server acknowledged (a 308's {@code Range}, as the library reports it to its
 * session listener), per session: after a crash and a restart the server must report at least
 * as much for every session, or an acknowledged byte was lost.
 */
final class AckLedger {
  /** A session's highest acknowledged offset and its total size. */
  record Ack(long offset, long total) {}

  /** A session whose offset after the restart is below what was acknowledged before it. */
  record Loss(URI session, long acknowledged, String after) {}

  private final Map<URI, Ack> acks = new ConcurrentHashMap<>();
  private final Map<URI, Boolean> done = new ConcurrentHashMap<>();
  private long checked;
  private long checkedBytes;

  /** The session listener's side: called after every 308 (and the initiation, at 0). */
  void record(ResumableSession session) {
    acks.merge(session.sessionUri(), new Ack(session.offset(), session.totalSize()),
        (a, b) -> a.offset() >= b.offset() ? a : b);
  }

  /** The upload of this session finished: later checks need not ask about it. */
  void completed(URI session) {
    done.put(session, Boolean.TRUE);
  }

  /** Unfinished sessions checked after restarts so far (one per session and restart). */
  long checked() {
    return checked;
  }

  /** The acknowledged bytes those checks covered. */
  long checkedBytes() {
    return checkedBytes;
  }

  int sessions() {
    return acks.size();
  }

  /** The acknowledged offsets now (call it once the server is dead: nothing moves then). */
  Map<URI, Ack> snapshot() {
    return Map.copyOf(acks);
  }

  /**
   * Asks the (restarted) server where every unfinished session of {@code before} stands: a
   * status query answers 308 with its offset or 200 when complete. Returns the losses: an
   * offset below the acknowledged one, or a session the server no longer knows.
   */
  List<Loss> check(Map<URI, Ack> before) throws IOException {
    List<Loss> losses = new ArrayList<>();
    for (Map.Entry<URI, Ack> e : before.entrySet()) {
      if (done.containsKey(e.getKey())) {
        continue;
      }
      Ack ack = e.getValue();
      checked++;
      checkedBytes += ack.offset();
      RawHttp.Response r = RawHttp.request(e.getKey(), "PUT",
              FarmTestClient.target(e.getKey().toString()))
          .header("Content-Range", "bytes */" + (ack.total() < 0 ? "*" : ack.total()))
          .body(new byte[0]).send();
      if (r.status() == 200) {
        continue; // complete: everything is held
      }
      if (r.status() != 308) {
        losses.add(new Loss(e.getKey(), ack.offset(), r.status() + " " + r.text()));
        continue;
      }
      String range = r.header("Range");
      long held = range == null ? 0 : Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
      if (held < ack.offset()) {
        losses.add(new Loss(e.getKey(), ack.offset(), "offset " + held));
      }
    }
    return losses;
  }
}
