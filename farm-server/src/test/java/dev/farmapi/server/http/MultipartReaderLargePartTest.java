package dev.farmapi.server.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 20 MiB media part streams through: neither the test nor the reader ever holds it. The body
 * is generated as it is read and both sides compare SHA-256 digests.
 */
class MultipartReaderLargePartTest {
  static final long SIZE = 20L * 1024 * 1024;

  @ParameterizedTest
  @ValueSource(strings = {"\r\n", "\n"})
  void streamsATwentyMebibytePartThroughByteExactly(String lineBreak) throws Exception {
    String boundary = "large-part-boundary";
    InputStream body = new SequenceInputStream(Collections.enumeration(List.of(
        text("--" + boundary + lineBreak + "Content-Type: application/json" + lineBreak + lineBreak
            + "{}" + lineBreak + "--" + boundary + lineBreak + "Content-Type: video/mp4"
            + lineBreak + lineBreak),
        new RandomBytes(SIZE, 1234, new Random(99)),
        text(lineBreak + "--" + boundary + "--" + lineBreak))));
    MultipartReader reader = new MultipartReader(body, boundary);

    reader.nextPart();
    assertThat(reader.partBody().readAllBytes()).isEqualTo("{}".getBytes(ISO_8859_1));
    assertThat(reader.nextPart().contentType()).isEqualTo("video/mp4");
    MessageDigest received = sha256();
    long count;
    try (InputStream media = new DigestInputStream(reader.partBody(), received)) {
      count = media.transferTo(OutputStream.nullOutputStream());
    }

    MessageDigest sent = sha256();
    new DigestInputStream(new RandomBytes(SIZE, 1234, new Random(0)), sent)
        .transferTo(OutputStream.nullOutputStream());
    assertThat(count).isEqualTo(SIZE);
    assertThat(received.digest()).isEqualTo(sent.digest());
    assertThat(reader.nextPart()).isNull();
  }

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(ISO_8859_1));
  }

  private static MessageDigest sha256() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256");
  }

  /** {@code size} pseudo-random bytes from {@code seed}, served in reads of random lengths. */
  static final class RandomBytes extends InputStream {
    private final Random data;
    private final Random readLengths;
    private long remaining;

    RandomBytes(long size, long seed, Random readLengths) {
      this.data = new Random(seed);
      this.readLengths = readLengths;
      this.remaining = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      // Same bytes whatever the read lengths: the data Random is drawn one byte at a time.
      int n = (int) Math.min(Math.min(len, remaining), 1 + readLengths.nextInt(100_000));
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) data.nextInt(256);
      }
      remaining -= n;
      return n;
    }
  }
}
