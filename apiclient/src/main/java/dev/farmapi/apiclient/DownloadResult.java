package dev.farmapi.apiclient;

import java.util.Objects;
import java.util.Set;

/**
 * A completed download: how many bytes, their checksums, and which checksums were compared with
 * an expected value. A download whose bytes could not be checked (the server sent no
 * {@code X-Goog-Hash} and the caller expected nothing) still completes, but says so:
 * {@link #verified()} is false. A mismatch never gets here: it is a
 * {@link ChecksumMismatchError}.
 *
 * @param size bytes downloaded: the media's size
 * @param md5 base64 MD5 of the bytes downloaded, or null when MD5 was not computed (it is when
 *     the client {@linkplain ApiClient.Builder#verifyMd5 verifies MD5}, the download
 *     {@linkplain MediaDownload#withExpectedMd5 expects one}, or the server sends an MD5 and no
 *     CRC32C)
 * @param crc32c base64 big-endian CRC32C of the bytes downloaded
 * @param verifiedBy the algorithms ({@code md5}, {@code crc32c}) whose expected value matched
 * @param etag the {@code ETag} of the media version downloaded, or null if the server sent none
 */
public record DownloadResult(long size, String md5, String crc32c, Set<String> verifiedBy,
    String etag) {

  public DownloadResult {
    Objects.requireNonNull(crc32c, "crc32c");
    verifiedBy = Set.copyOf(verifiedBy);
  }

  /** Whether at least one checksum was compared, and all that were compared matched. */
  public boolean verified() {
    return !verifiedBy.isEmpty();
  }
}
