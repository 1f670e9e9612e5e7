package dev.farmapi.reliability;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

/**
 * One logical upload of a reliability run: the unique name its animal gets, how it travels, and
 * the fingerprints of its bytes (SHA-256 to compare downloads, base64 MD5 to find its animals by
 * the server's {@code md5Hash}, which is how a nameless simple upload is recognised).
 */
record Source(String name, Kind kind, long size, String sha256, String md5) {

  /** How the media travels. */
  enum Kind {
    SIMPLE, MULTIPART, RESUMABLE;

    boolean resumable() {
      return this == RESUMABLE;
    }
  }

  static Source of(String name, Kind kind, byte[] bytes) {
    return new Source(name, kind, bytes.length, hex(digest("SHA-256", bytes)),
        Base64.getEncoder().encodeToString(digest("MD5", bytes)));
  }

  /** Pseudo-random bytes of a seed: every upload of a run has bytes of its own. */
  static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
