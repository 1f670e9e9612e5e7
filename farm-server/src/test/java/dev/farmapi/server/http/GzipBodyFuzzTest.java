package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.farmapi.server.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.GZIPOutputStream;

/**
 * Fuzz tests of {@link GzipBody}, the decoder of {@code Content-Encoding: gzip} request bodies.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/server/http/GzipBodyFuzzTestInputs/}.
 */
class GzipBodyFuzzTest {
  /** Decoded bytes a fuzz input may make: a small bomb is fine, reading on forever is not. */
  private static final int DECODE_LIMIT = 1 << 20;

  /**
   * Any complete body decodes to some bytes or is a 400 invalidContentEncoding. Never another
   * IOException: the body arrived in full, so the server must answer it, not treat the client
   * as gone.
   */
  @FuzzTest(maxDuration = "10m")
  void anyCompleteBodyDecodesOrIsA400(FuzzedDataProvider data) throws IOException {
    int readSize = data.consumeInt(1, 70_000);
    byte[] body = data.consumeRemainingAsBytes();
    try {
      decode(body, readSize);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("invalidContentEncoding");
      assertThat(e.getMessage()).hasSizeLessThan(600);
    }
  }

  /** What gzip encodes, in one or more members, decodes to exactly the same bytes. */
  @FuzzTest(maxDuration = "10m")
  void gzippedBytesComeBackExactly(FuzzedDataProvider data) throws IOException {
    int readSize = data.consumeInt(1, 70_000);
    int members = data.consumeInt(1, 3);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    for (int i = 0; i < members; i++) {
      byte[] part = i == members - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(100);
      plain.writeBytes(part);
      try (GZIPOutputStream gz = new GZIPOutputStream(encoded) {
        @Override
        public void close() throws IOException {
          finish(); // leave {@code encoded} open for the next member
        }
      }) {
        gz.write(part);
      }
    }
    assertThat(decode(encoded.toByteArray(), readSize)).isEqualTo(plain.toByteArray());
  }

  private static byte[] decode(byte[] body, int readSize) throws IOException {
    ReadableByteChannel in = new GzipBody(Channels.newChannel(new java.io.ByteArrayInputStream(body)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(readSize);
    for (int n; (n = in.read(buffer.clear())) != -1; ) {
      assertThat(n).isPositive(); // a blocking channel with room never reads 0
      out.write(buffer.array(), 0, n);
      if (out.size() > DECODE_LIMIT) {
        break;
      }
    }
    return out.toByteArray();
  }
}
