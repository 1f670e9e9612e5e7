package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.ResumableDownloadError;
import java.net.http.HttpHeaders;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a download needs from a response's status and headers: which bytes the body holds
 * ({@code Content-Range} of a 206 or 416, {@code Content-Length} of a 200), the media's total
 * size, its version ({@code ETag}, strong ones only: a weak one cannot go in {@code If-Range})
 * and its checksums ({@code X-Goog-Hash: crc32c=...,md5=...}).
 *
 * @param first offset of the body's first byte (0 for a 200)
 * @param length bytes in the body, or -1 if unknown (a 200 without Content-Length)
 * @param totalSize the media's size, or -1 if unknown
 */
public record DownloadResponse(int status, long first, long length, long totalSize, String etag,
    String md5, String crc32c) {
  private static final Pattern RANGE =
      Pattern.compile("bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
  private static final Pattern UNSATISFIED =
      Pattern.compile("bytes\\s+\\*/(\\d{1,18})", Pattern.CASE_INSENSITIVE);

  /** Reads a 200, 206 or 416; other statuses only get their validators and checksums. */
  public static DownloadResponse of(int status, HttpHeaders headers)
      throws ResumableDownloadError {
    String etag = headers.firstValue("ETag").map(String::trim)
        .filter(t -> t.startsWith("\"")).orElse(null);
    String md5 = null;
    String crc32c = null;
    for (String value : headers.allValues("X-Goog-Hash")) {
      for (String item : value.split(",")) {
        int eq = item.indexOf('=');
        String name = eq < 0 ? "" : item.substring(0, eq).trim();
        if (name.equalsIgnoreCase("md5")) {
          md5 = item.substring(eq + 1).trim();
        } else if (name.equalsIgnoreCase("crc32c")) {
          crc32c = item.substring(eq + 1).trim();
        }
      }
    }
    String contentRange = headers.firstValue("Content-Range").map(String::trim).orElse(null);
    long first = 0;
    long length = contentLength(headers);
    long total = -1;
    if (status == 206) {
      Matcher m = contentRange == null ? null : RANGE.matcher(contentRange);
      if (m == null || !m.matches()) {
        throw new ResumableDownloadError("a 206 needs a Content-Range of one byte range, not "
            + contentRange, status);
      }
      first = Long.parseLong(m.group(1));
      long last = Long.parseLong(m.group(2));
      total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
      if (last < first || (total >= 0 && last >= total)) {
        throw new ResumableDownloadError("the server sent an impossible Content-Range: "
            + contentRange, status);
      }
      if (length >= 0 && length != last - first + 1) {
        throw new ResumableDownloadError("Content-Length " + length + " disagrees with "
            + "Content-Range " + contentRange, status);
      }
      length = last - first + 1;
    } else if (status == 200) {
      total = length;
    } else if (status == 416 && contentRange != null) {
      Matcher m = UNSATISFIED.matcher(contentRange);
      total = m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
    return new DownloadResponse(status, first, length, total, etag, md5, crc32c);
  }

  /**
   * The Content-Length, or -1 when there is none or it is no plain number (not
   * {@code firstValueAsLong}: its NumberFormatException would escape as a bug of ours).
   */
  private static long contentLength(HttpHeaders headers) {
    String value = headers.firstValue("Content-Length").map(String::trim).orElse("");
    return DIGITS.matcher(value).matches() ? Long.parseLong(value) : -1;
  }
}
