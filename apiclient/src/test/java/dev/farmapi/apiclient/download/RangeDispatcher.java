package dev.farmapi.apiclient.download;

import dev.farmapi.apiclient.internal.Checksums;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * A MockWebServer peer that serves one media with ranges, {@code If-Range}, an ETag and
 * {@code X-Goog-Hash} like a good server, and misbehaves on demand: each queued tweak rewrites
 * the next response, and switches make it ignore {@code If-Range} or ranges altogether.
 */
final class RangeDispatcher extends Dispatcher {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final Deque<UnaryOperator<MockResponse.Builder>> tweaks = new ArrayDeque<>();
  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  volatile byte[] media;
  volatile String etag;
  volatile boolean sendHashes = true;
  volatile boolean ignoreIfRange;
  volatile boolean ignoreRange;

  RangeDispatcher(byte[] media, String etag) {
    this.media = media;
    this.etag = etag;
  }

  /** Rewrites the next response not yet rewritten. */
  synchronized RangeDispatcher then(UnaryOperator<MockResponse.Builder> tweak) {
    tweaks.add(tweak);
    return this;
  }

  String range(int request) {
    return requests.get(request).getHeaders().get("Range");
  }

  String ifRange(int request) {
    return requests.get(request).getHeaders().get("If-Range");
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requests.add(request);
    byte[] bytes = media;
    MockResponse.Builder b = new MockResponse.Builder().addHeader("Accept-Ranges", "bytes");
    if (etag != null) {
      b.addHeader("ETag", etag);
    }
    if (sendHashes) {
      Checksums sums = new Checksums();
      sums.update(bytes, 0, bytes.length);
      b.addHeader("X-Goog-Hash", "crc32c=" + sums.crc32c() + ",md5=" + sums.md5());
    }
    String range = request.getHeaders().get("Range");
    String ifRange = request.getHeaders().get("If-Range");
    Matcher m = range == null ? null : RANGE.matcher(range);
    boolean stale = ifRange != null && !ifRange.equals(etag) && !ignoreIfRange;
    if (ignoreRange || m == null || !m.matches() || stale || bytes.length == 0) {
      b.code(200).body(new Buffer().write(bytes));
    } else {
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? bytes.length - 1
          : Math.min(Long.parseLong(m.group(2)), bytes.length - 1);
      if (first >= bytes.length) {
        b.code(416).addHeader("Content-Range", "bytes */" + bytes.length);
      } else {
        b.code(206).addHeader("Content-Range", "bytes " + first + "-" + last + "/" + bytes.length)
            .body(new Buffer().write(bytes, (int) first, (int) (last - first + 1)));
      }
    }
    UnaryOperator<MockResponse.Builder> tweak;
    synchronized (this) {
      tweak = tweaks.poll();
    }
    return (tweak == null ? b : tweak.apply(b)).build();
  }
}
