package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scripted failure of the retry-test API, in the Cloud Storage testbench's vocabulary.
 * {@link #parse} accepts exactly the instruction strings documented in PROTOCOL.md.
 */
sealed interface Fault {

  /** The instruction as the test wrote it. */
  String text();

  /** {@code return-<code>}: answer {@code status} before the handler runs; nothing is stored. */
  record Return(int status) implements Fault {
    public String text() {
      return "return-" + status;
    }
  }

  /** {@code return-reset-connection}: reset the TCP connection (RST) without an answer. */
  record Reset() implements Fault {
    public String text() {
      return "return-reset-connection";
    }
  }

  /** {@code return-<code>-after-<N>K}: keep the first N KiB of the upload's body, then fail. */
  record ReturnAfter(int status, long bytes) implements Fault {
    public String text() {
      return "return-" + status + "-after-" + bytes / 1024 + "K";
    }
  }

  /** {@code return-broken-stream-final-chunk-after-<N>B}: complete, then cut the 200 body. */
  record BrokenFinal(long bytes) implements Fault {
    public String text() {
      return "return-broken-stream-final-chunk-after-" + bytes + "B";
    }
  }

  /** {@code return-broken-stream-after-<N>K}: a download stops after N KiB of its body. */
  record BrokenStream(long bytes) implements Fault {
    public String text() {
      return "return-broken-stream-after-" + bytes / 1024 + "K";
    }
  }

  /** {@code stall-for-<T>s-after-<N>K}: pause T seconds once N KiB of the body went by. */
  record Stall(Duration pause, long bytes) implements Fault {
    public String text() {
      return "stall-for-" + pause.toSeconds() + "s-after-" + bytes / 1024 + "K";
    }
  }

  Pattern RETURN = Pattern.compile("return-([45]\\d\\d)");
  Pattern RETURN_AFTER = Pattern.compile("return-([45]\\d\\d)-after-(\\d{1,7})K");
  Pattern BROKEN_FINAL = Pattern.compile("return-broken-stream-final-chunk-after-(\\d{1,10})B");
  Pattern BROKEN = Pattern.compile("return-broken-stream-after-(\\d{1,7})K");
  Pattern STALL = Pattern.compile("stall-for-(\\d{1,4})s-after-(\\d{1,7})K");

  static Fault parse(String text) {
    Matcher m;
    if (text == null) {
      throw unknown("null");
    } else if (text.equals("return-reset-connection")) {
      return new Reset();
    } else if ((m = RETURN.matcher(text)).matches()) {
      return new Return(Integer.parseInt(m.group(1)));
    } else if ((m = RETURN_AFTER.matcher(text)).matches()) {
      return new ReturnAfter(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)) * 1024);
    } else if ((m = BROKEN_FINAL.matcher(text)).matches()) {
      return new BrokenFinal(Long.parseLong(m.group(1)));
    } else if ((m = BROKEN.matcher(text)).matches()) {
      return new BrokenStream(Long.parseLong(m.group(1)) * 1024);
    } else if ((m = STALL.matcher(text)).matches()) {
      return new Stall(Duration.ofSeconds(Long.parseLong(m.group(1))),
          Long.parseLong(m.group(2)) * 1024);
    }
    throw unknown(text);
  }

  private static ApiException unknown(String text) {
    return ApiException.badRequest("invalidInstruction", "unknown retry-test instruction '"
        + Texts.excerpt(text) + "'; use return-<code>, return-reset-connection,"
        + " return-<code>-after-<N>K, return-broken-stream-final-chunk-after-<N>B,"
        + " return-broken-stream-after-<N>K or stall-for-<T>s-after-<N>K");
  }
}
