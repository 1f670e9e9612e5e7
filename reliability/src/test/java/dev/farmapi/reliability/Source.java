package dev.farmapi.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** A file of {@code size} pseudo-random bytes of a seed, hashed as it is written. */
  static Source file(String name, Path file, long size, long seed) throws IOException {
    MessageDigest sha = digester("SHA-256");
    MessageDigest md5 = digester("MD5");
    Random random = new Random(seed);
    byte[] buffer = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(buffer.length, left);
        random.nextBytes(buffer);
        out.write(buffer, 0, n);
        sha.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        left -= n;
      }
    }
    return new Source(name, Kind.RESUMABLE, size, hex(sha.digest()),
        Base64.getEncoder().encodeToString(md5.digest()));
  }

  /** Pseudo-random bytes of a seed: every upload of a run has bytes of its own. */
  static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] digest(String algorithm, byte[] bytes) {
    return digester(algorithm).digest(bytes);
  }

  static MessageDigest digester(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
