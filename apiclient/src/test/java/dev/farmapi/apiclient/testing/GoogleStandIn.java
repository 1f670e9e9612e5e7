package dev.farmapi.apiclient.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A recording server that answers as Google's upload and download front ends do, for calls
 * built from Google's real discovery documents with {@code rootUrl} pointed here: resumable
 * sessions (200 + {@code Location}, 308 + {@code Range}, 200 + the resource), simple and
 * multipart uploads, {@code alt=media} downloads with {@code Range}, and lists that page with
 * {@code nextPageToken}. Every request is kept for the test to inspect; every upload's media
 * bytes are kept by the id of the resource it made. Resources carry Cloud Storage's
 * {@code md5Hash} and {@code crc32c}, which the client checks.
 */
public final class GoogleStandIn implements AutoCloseable {
  public static final String NEXT_PAGE = "tok 2/3";
  private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final MockWebServer server = new MockWebServer();
  private final Map<String, ByteArrayOutputStream> sessions = new ConcurrentHashMap<>();
  /** The media of every upload, by the id of the resource it made. */
  public final Map<String, byte[]> stored = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile String lastId;

  public GoogleStandIn() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        return answer(r);
      }
    });
    server.start();
  }

  /** The root URL, ending in '/': what {@code rootUrl} becomes. */
  public String root() {
    return server.url("/").toString();
  }

  /** The next request received, in order. */
  public RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request arrived");
    }
    return r;
  }

  /** The media of the resource the last upload made. */
  public byte[] lastUpload() {
    return stored.get(lastId);
  }

  private MockResponse answer(RecordedRequest r) {
    HttpUrl url = r.getUrl();
    String uploadType = url.queryParameter("uploadType");
    String session = url.queryParameter("upload_id");
    if (session != null) {
      return chunk(r, session);
    }
    if ("resumable".equals(uploadType)) {
      String id = "s" + ids.incrementAndGet();
      sessions.put(id, new ByteArrayOutputStream());
      return new MockResponse.Builder().code(200)
          // The session URI names the upload, not the caller's key (a capability of its own).
          .setHeader("Location", url.newBuilder().removeAllQueryParameters("key")
              .addQueryParameter("upload_id", id).build())
          .build();
    }
    if ("media".equals(uploadType)) {
      return created(body(r));
    }
    if ("multipart".equals(uploadType)) {
      return created(mediaPart(r));
    }
    if ("media".equals(url.queryParameter("alt"))) {
      return download(r);
    }
    if (r.getMethod().equals("GET")
        && (url.encodedPath().endsWith("/files") || url.encodedPath().endsWith("/o"))) {
      return json(url.queryParameter("pageToken") == null
          ? "{\"items\": [{\"id\": \"a\"}], \"files\": [{\"id\": \"a\"}], \"nextPageToken\": \""
              + NEXT_PAGE + "\"}"
          : "{\"items\": [{\"id\": \"b\"}], \"files\": [{\"id\": \"b\"}]}");
    }
    return json("{\"ok\": true}");
  }

  private MockResponse chunk(RecordedRequest r, String session) {
    ByteArrayOutputStream held = sessions.get(session);
    if (held == null) {
      return new MockResponse.Builder().code(404).build();
    }
    String range = r.getHeaders().get("Content-Range");
    Matcher m = range == null ? null : RANGE.matcher(range);
    long total = -1;
    if (m != null && m.matches()) {
      if (Long.parseLong(m.group(1)) != held.size()) {
        return resumeIncomplete(held.size()); // a gap or a resend: the client rewinds
      }
      held.writeBytes(body(r));
      total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
    } else if (range != null && range.startsWith("bytes */") && !range.endsWith("*")) {
      total = Long.parseLong(range.substring(8));
    }
    if (total >= 0 && held.size() == total) {
      sessions.remove(session);
      return created(held.toByteArray());
    }
    return resumeIncomplete(held.size());
  }

  private static byte[] body(RecordedRequest r) {
    return r.getBody() == null ? new byte[0] : r.getBody().toByteArray();
  }

  private static MockResponse resumeIncomplete(long held) {
    MockResponse.Builder b = new MockResponse.Builder().code(308);
    if (held > 0) {
      b.setHeader("Range", "bytes=0-" + (held - 1));
    }
    return b.build();
  }

  private MockResponse created(byte[] media) {
    String id = "r" + ids.incrementAndGet();
    stored.put(id, media);
    lastId = id;
    return json("{\"id\": \"" + id + "\", \"size\": \"" + media.length + "\", \"md5Hash\": \""
        + md5(media) + "\", \"crc32c\": \"" + crc32c(media) + "\"}");
  }

  /** The second part of a multipart/related body, byte-exact, under CRLF or LF framing. */
  private static byte[] mediaPart(RecordedRequest r) {
    String type = r.getHeaders().get("Content-Type");
    String boundary = type.substring(type.indexOf("boundary=") + 9).replace("\"", "");
    byte[] body = body(r);
    String text = new String(body, StandardCharsets.ISO_8859_1); // one char per byte
    int second = text.indexOf("--" + boundary, text.indexOf("--" + boundary) + 1);
    int start = text.indexOf("\n\n", second);
    int crlf = text.indexOf("\r\n\r\n", second);
    start = crlf >= 0 && (start < 0 || crlf < start) ? crlf + 4 : start + 2;
    int end = text.indexOf("--" + boundary + "--", start);
    end -= text.startsWith("\r\n", end - 2) ? 2 : 1;
    return Arrays.copyOfRange(body, start, end);
  }

  private MockResponse download(RecordedRequest r) {
    byte[] media = lastUpload();
    String range = r.getHeaders().get("Range");
    MockResponse.Builder b = new MockResponse.Builder()
        .setHeader("X-Goog-Hash", "crc32c=" + crc32c(media) + ",md5=" + md5(media));
    if (range == null) {
      return b.code(200).body(new okio.Buffer().write(media)).build();
    }
    String[] bounds = range.substring(6).split("-", -1);
    int from = Integer.parseInt(bounds[0]);
    int to = bounds[1].isEmpty() ? media.length - 1
        : Math.min(media.length - 1, Integer.parseInt(bounds[1]));
    return b.code(206).setHeader("Content-Range", "bytes " + from + "-" + to + "/" + media.length)
        .body(new okio.Buffer().write(Arrays.copyOfRange(media, from, to + 1))).build();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body(body).build();
  }

  public static String md5(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  public static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Override
  public void close() {
    server.close();
  }
}
