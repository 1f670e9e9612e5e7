package dev.farmapi.server.upload;

/**
 * The byte range a resumable upload request names: a chunk, an empty chunk or a status query.
 *
 * <p>A neutral value: the HTTP layer parses it from the {@code Content-Range} header
 * ({@code http.ContentRange}); the state machine only reads it.
 *
 * <p>Three shapes, all with inclusive byte positions:
 *
 * <ul>
 *   <li>a chunk, {@code bytes FIRST-LAST/TOTAL}: {@code first..last} of an upload of
 *       {@code total} bytes;
 *   <li>an empty chunk, {@code last == first - 1} (length 0): what google-api-python-client sends
 *       when the data ends exactly on a chunk boundary ({@code bytes 524288-524287/524288}), and
 *       for a zero-byte upload ({@code bytes 0--1/0});
 *   <li>a status query, <code>bytes *&#47;TOTAL</code>: {@code first == last == -1}.
 * </ul>
 *
 * <p>{@code total == -1} means the total is not known yet ({@code *}). The value only promises
 * that the header is consistent in itself; whether the chunk fits the session (offsets, chunk
 * size, a total that changes) is the upload state machine's business.
 *
 * @param first the first byte position, or -1 for a status query
 * @param last the last byte position (first - 1 for an empty chunk), or -1 for a status query
 * @param total the upload's size in bytes, or -1 when unknown
 */
public record ChunkRange(long first, long last, long total) {

  /** Rejects values no header could produce. */
  public ChunkRange {
    String problem = inconsistency(first, last, total);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** True for a status query, <code>bytes *&#47;TOTAL</code>: it carries no bytes. */
  public boolean isQuery() {
    return first == -1 && last == -1;
  }

  public boolean totalKnown() {
    return total != -1;
  }

  /** The number of bytes the request body carries: 0 for a query and for an empty chunk. */
  public long length() {
    return isQuery() ? 0 : last - first + 1;
  }

  /** The canonical header value, e.g. {@code bytes 0-262143/1000000}; {@code http.ContentRange.parse} reads it. */
  @Override
  public String toString() {
    String range = isQuery() ? "*" : first + "-" + last;
    return "bytes " + range + "/" + (totalKnown() ? Long.toString(total) : "*");
  }

  /** Why these numbers cannot come from one header, or null when they can. */
  public static String inconsistency(long first, long last, long total) {
    if (total < -1) {
      return "the total " + total + " is negative; expected a byte count or '*'";
    }
    if (first == -1 && last == -1) {
      return null; // a query: only the total matters
    }
    if (first < 0) {
      return "the first byte " + first + " is negative; expected 0 or more";
    }
    if (last < first - 1) {
      return "the last byte " + last + " is before the first " + first
          + "; expected FIRST <= LAST, or LAST = FIRST-1 for an empty chunk";
    }
    if (total == -1) {
      // Past Long.MAX_VALUE no upload can end, and length() would overflow.
      return last == Long.MAX_VALUE
          ? "the last byte " + last + " leaves no room for a total; expected LAST below " + last
          : null;
    }
    if (first > total) {
      return "the first byte " + first + " is past the total " + total
          + "; expected FIRST <= TOTAL";
    }
    if (last >= total) {
      return "the last byte " + last + " is not below the total " + total
          + "; expected LAST <= TOTAL-1 (byte positions count from 0)";
    }
    return null;
  }
}
