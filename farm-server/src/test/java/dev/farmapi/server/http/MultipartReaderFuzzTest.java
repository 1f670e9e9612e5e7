package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.farmapi.server.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fuzz tests of {@link MultipartReader}.
 *
 * <p>Plain {@code mvn test} runs them as regression tests over the seeds in
 * {@code src/test/resources/dev/farmapi/server/http/MultipartReaderFuzzTestInputs/}. To fuzz one
 * method (up to its {@code maxDuration}; findings land in that resource folder):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl farm-server test \
 *     -Dtest='MultipartReaderFuzzTest#anyBodyReadsTheSameWhateverTheReadSizes'
 * JAZZER_FUZZ=1 mvn -pl farm-server test \
 *     -Dtest='MultipartReaderFuzzTest#encodedPartsComeBackByteExactly'
 * </pre>
 *
 * To bound the run differently, pass libFuzzer flags; the first stands for argv[0] and is dropped:
 * {@code -Djazzer.internal.arg.0=x -Djazzer.internal.arg.1=-max_total_time=60}.
 */
class MultipartReaderFuzzTest {
  /** Short, so that the fuzzer writes it, and near misses of it, often. */
  static final String BOUNDARY = "b";

  /**
   * Any bytes read to the end or are a 400, never another exception; and the outcome does not
   * depend on how the stream splits them, which is what a delimiter search across buffer
   * boundaries must get right.
   */
  @FuzzTest(maxDuration = "10m")
  void anyBodyReadsTheSameWhateverTheReadSizes(FuzzedDataProvider data) throws IOException {
    long readSizesSeed = data.consumeLong();
    boolean skipSomeBodies = data.consumeBoolean();
    byte[] body = data.consumeRemainingAsBytes();

    Object whole = outcome(new ByteArrayInputStream(body), false);
    Object choppy = outcome(new Chunking.Choppy(body, new Random(readSizesSeed), 5), false);
    Object oneByte = outcome(Chunking.ONE_BYTE_PER_READ.open(body), skipSomeBodies);

    assertThat(choppy).isEqualTo(whole);
    if (!skipSomeBodies || whole instanceof String) {
      assertThat(oneByte).isEqualTo(whole); // skipping data must not hide or change an error
    } else {
      // Skipped parts have no data to compare, but the same parts must come up.
      assertThat(oneByte).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
          .hasSameSizeAs((List<?>) whole);
    }
  }

  /** Parts written by a test encoder in either framing come back with identical bytes. */
  @FuzzTest(maxDuration = "10m")
  void encodedPartsComeBackByteExactly(FuzzedDataProvider data) throws IOException {
    String lineBreak = data.consumeBoolean() ? "\r\n" : "\n";
    String boundary = data.pickValue(List.of(
        "b", "frontier", "===============4200804128566609054==", "__END_OF_PART__x__", "a b"));
    MultipartEncoder encoder = new MultipartEncoder(boundary, lineBreak)
        .padding(data.pickValue(List.of("", " ", "\t", " \t ")))
        .epilogue(data.pickValue(List.of(lineBreak, "", "\r\n--" + boundary + "\r\njunk")));
    if (data.consumeBoolean()) {
      encoder.preamble("preamble" + lineBreak + "--" + boundary + "x" + lineBreak);
    }
    long readSizesSeed = data.consumeLong();
    int count = data.consumeInt(1, 3);
    List<ReadPart> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] media = i == count - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(64);
      if (MultipartEncoder.conflicts(media, boundary, lineBreak)) {
        return; // the data holds a real delimiter: no encoder can send it under this boundary
      }
      String type = "type/" + i;
      encoder.part(type, media);
      sent.add(new ReadPart(Map.of("content-type", type), media));
    }
    byte[] body = encoder.encode();

    InputStream in = new Chunking.Choppy(body, new Random(readSizesSeed), 17);
    assertThat(ReadPart.readAll(in, boundary)).isEqualTo(sent);
  }

  /** The parts read (data in full unless skipped), or the 400 that stopped the reading. */
  private static Object outcome(InputStream body, boolean skipSomeBodies) throws IOException {
    List<ReadPart> parts = new ArrayList<>();
    try {
      MultipartReader reader = new MultipartReader(body, BOUNDARY);
      for (MultipartReader.Part part; (part = reader.nextPart()) != null; ) {
        boolean skip = skipSomeBodies && parts.size() % 2 == 0;
        byte[] bytes = skip ? new byte[0] : reader.partBody().readAllBytes();
        parts.add(new ReadPart(part.headers(), bytes));
      }
      return parts;
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("invalidMultipart");
      assertThat(e.getMessage()).contains("expected");
      return e.getMessage();
    }
  }
}
