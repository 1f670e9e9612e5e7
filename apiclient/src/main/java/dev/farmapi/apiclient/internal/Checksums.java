package dev.farmapi.apiclient.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * CRC32C, and MD5 when asked, of bytes going by, in the form Google APIs report them
 * ({@code md5Hash}, {@code crc32c}, {@code X-Goog-Hash}): base64 of the digest and of the
 * big-endian CRC. CRC32C is always on: it runs at tens of GB/s (a hardware instruction), MD5 at
 * ~600 MB/s, so MD5 is only computed when a caller wants it.
 */
public final class Checksums {
  private final MessageDigest md5; // null: not computed
  private final CRC32C crc32c = new CRC32C();
  private long length;

  /** Both CRC32C and MD5. */
  public Checksums() {
    this(true);
  }

  /** CRC32C, and MD5 only if {@code withMd5}. */
  public Checksums(boolean withMd5) {
    if (!withMd5) {
      md5 = null;
      return;
    }
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JRE has MD5", e);
    }
  }

  /** Whether {@link #md5()} is computed. */
  public boolean hasMd5() {
    return md5 != null;
  }

  /**
   * Adds the buffer's remaining bytes, leaving its position alone. Straight from the buffer, no
   * copy: CRC32C reads a direct buffer in place (MD5 copies it 4 KiB at a time, into an array
   * the digest keeps).
   */
  public void update(ByteBuffer bytes) {
    int start = bytes.position();
    length += bytes.remaining();
    if (md5 != null) {
      md5.update(bytes);
      bytes.position(start);
    }
    crc32c.update(bytes);
    bytes.position(start);
  }

  public void update(byte[] bytes, int offset, int count) {
    update(ByteBuffer.wrap(bytes, offset, count));
  }

  public long length() {
    return length;
  }

  /** Base64 MD5 of everything so far (does not reset), or null when MD5 is not computed. */
  public String md5() {
    if (md5 == null) {
      return null;
    }
    try {
      return Base64.getEncoder().encodeToString(((MessageDigest) md5.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new AssertionError("MD5 digests are cloneable", e);
    }
  }

  /** Base64 big-endian CRC32C of everything so far. */
  public String crc32c() {
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(4).putInt((int) crc32c.getValue()).array());
  }
}
