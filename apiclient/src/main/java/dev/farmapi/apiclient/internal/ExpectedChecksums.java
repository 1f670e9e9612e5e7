package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.ChecksumMismatchError;
import java.util.Set;

/**
 * Checksums that downloaded bytes must have, base64 as Google APIs write them; either may be
 * null (not known). A download holds two: the caller's and the server's {@code X-Goog-Hash}.
 */
public record ExpectedChecksums(String md5, String crc32c) {
  public static final ExpectedChecksums NONE = new ExpectedChecksums(null, null);

  public ExpectedChecksums withMd5(String value) {
    return new ExpectedChecksums(value, crc32c);
  }

  public ExpectedChecksums withCrc32c(String value) {
    return new ExpectedChecksums(md5, value);
  }

  /** These, with each value {@code newer} knows replacing ours. */
  public ExpectedChecksums updatedBy(ExpectedChecksums newer) {
    return new ExpectedChecksums(newer.md5 != null ? newer.md5 : md5,
        newer.crc32c != null ? newer.crc32c : crc32c);
  }

  /**
   * Compares {@code actual} with each known value, adding the algorithms that matched to
   * {@code verified}; the first mismatch throws. MD5 is compared only if {@code actual}
   * computed it (the download does whenever the caller expects an MD5).
   */
  public void check(Checksums actual, String what, Set<String> verified)
      throws ChecksumMismatchError {
    if (actual.hasMd5()) {
      check("md5", md5, actual.md5(), what, verified);
    }
    check("crc32c", crc32c, actual.crc32c(), what, verified);
  }

  private static void check(String algorithm, String expected, String actual, String what,
      Set<String> verified) throws ChecksumMismatchError {
    if (expected == null) {
      return;
    }
    if (!expected.equals(actual)) {
      throw new ChecksumMismatchError(algorithm, expected, actual, what);
    }
    verified.add(algorithm);
  }
}
