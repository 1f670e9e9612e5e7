package dev.farmapi.server.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * MD5 and CRC32C of a byte stream, computed while the bytes go by. Reports both in Cloud
 * Storage's form: base64 of the MD5 digest and of the big-endian CRC32C.
 */
final class MediaHasher {
  private final MessageDigest md5;
  private final CRC32C crc32c = new CRC32C();
  private long length;

  MediaHasher() {
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JRE has MD5", e);
    }
  }

  /** Hashes the buffer's remaining bytes without moving its position. */
  void update(ByteBuffer bytes) {
    length += bytes.remaining();
    md5.update(bytes.duplicate());
    crc32c.update(bytes.duplicate());
  }

  /** Bytes hashed so far. */
  long length() {
    return length;
  }

  String md5() {
    return Base64.getEncoder().encodeToString(md5.digest());
  }

  String crc32c() {
    byte[] b = ByteBuffer.allocate(4).putInt((int) crc32c.getValue()).array();
    return Base64.getEncoder().encodeToString(b);
  }

  /** Hashes a whole blob from its start: for sessions whose running hash was lost in a restart. */
  static MediaHasher of(SeekableByteChannel blob) throws IOException {
    MediaHasher hasher = new MediaHasher();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    blob.position(0);
    while (blob.read(buffer) >= 0) {
      buffer.flip();
      hasher.update(buffer);
      buffer.clear();
    }
    return hasher;
  }
}
