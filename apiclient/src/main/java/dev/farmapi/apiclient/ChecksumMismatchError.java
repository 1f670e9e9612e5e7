package dev.farmapi.apiclient;

import java.io.IOException;

/**
 * The bytes the server stored (or sent) are not the bytes of the source: their MD5 or CRC32C
 * differ. Never ignored: the upload is to be considered failed, the download discarded.
 */
public final class ChecksumMismatchError extends IOException {
  private final String algorithm;
  private final String expected;
  private final String actual;

  public ChecksumMismatchError(String algorithm, String expected, String actual, String what) {
    super(algorithm + " mismatch for " + what + ": the source has " + expected
        + ", the other side " + actual);
    this.algorithm = algorithm;
    this.expected = expected;
    this.actual = actual;
  }

  /** {@code md5} or {@code crc32c}. */
  public String algorithm() {
    return algorithm;
  }

  /** The source's checksum, base64. */
  public String expected() {
    return expected;
  }

  /** The other side's checksum, base64. */
  public String actual() {
    return actual;
  }
}
