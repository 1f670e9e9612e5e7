package dev.farmapi.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.ReliabilityReport;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A resumable upload that rides over a cluster's failures the way a good client does: on a 5xx or
 * a dropped connection it waits, asks the session's offset and resends from there. It also
 * checks the server's promise on every answer: an acknowledged offset never goes backwards.
 */
final class ResilientUploader {
  private final FarmTestClient farm;
  private final ReliabilityReport report;
  private final Duration giveUpAfter;

  ResilientUploader(FarmTestClient farm, ReliabilityReport report, Duration giveUpAfter) {
    this.farm = farm;
    this.report = report;
    this.giveUpAfter = giveUpAfter;
  }

  /** Uploads {@code media} in {@code chunkSize} chunks; returns the animal. */
  JsonNode upload(byte[] media, int chunkSize) throws Exception {
    long deadline = System.nanoTime() + giveUpAfter.toNanos();
    String session = null;
    while (session == null) {
      try {
        session = farm.initiate(null, "application/octet-stream", media.length);
      } catch (IOException | AssertionError e) {
        failed(deadline, "initiate", e);
      }
    }
    long acknowledged = 0;
    long offset = 0;
    while (true) {
      int end = (int) Math.min(media.length, offset + chunkSize);
      RawHttp.Response r;
      try {
        r = farm.putChunk(session, offset, Arrays.copyOfRange(media, (int) offset, end),
            media.length);
      } catch (IOException e) {
        failed(deadline, "chunk", e);
        offset = askOffset(session, media.length, acknowledged, deadline);
        continue;
      }
      if (r.status() == 200) {
        report.count("uploadsCompleted");
        return FarmTestClient.ok(r);
      }
      if (r.status() == 308) {
        long held = held(r);
        assertThat(held).as("an acknowledged offset never goes backwards").isGreaterThanOrEqualTo(
            acknowledged);
        acknowledged = held;
        offset = held;
        continue;
      }
      assertThat(r.status()).as("only retryable failures: %s", r).isGreaterThanOrEqualTo(500);
      report.count("answers" + r.status());
      failed(deadline, "chunk " + r.status(), null);
      offset = askOffset(session, media.length, acknowledged, deadline);
    }
  }

  private long askOffset(String session, long total, long acknowledged, long deadline)
      throws Exception {
    while (true) {
      try {
        RawHttp.Response q = farm.query(session, total);
        if (q.status() == 308) {
          long held = held(q);
          if (held < acknowledged) {
            report.count("acknowledgedBytesLost");
          }
          assertThat(held).as("acknowledged bytes are still held").isGreaterThanOrEqualTo(
              acknowledged);
          report.count("resumes");
          return held;
        }
        if (q.status() == 200) {
          return total; // completed by the chunk whose answer was lost: resend the last one
        }
        report.count("answers" + q.status());
      } catch (IOException e) {
        report.count("droppedConnections");
      }
      failed(deadline, "status query", null);
    }
  }

  private void failed(long deadline, String what, Throwable e) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      throw new AssertionError("gave up: " + what + " kept failing", e);
    }
    if (e != null) {
      report.count("droppedConnections");
    }
    Thread.sleep(250);
  }

  private static long held(RawHttp.Response r) {
    String range = r.header("Range");
    return range == null ? 0 : Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
  }
}
