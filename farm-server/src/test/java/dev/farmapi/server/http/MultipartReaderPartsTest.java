package dev.farmapi.server.http;

import static dev.farmapi.server.http.MultipartReaderTest.BOUNDARY;
import static dev.farmapi.server.http.MultipartReaderTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reader's API: part headers, moving between parts, and the part-body stream's life. */
class MultipartReaderPartsTest {
  @Test
  void lowerCasesHeaderNamesAndTrimsValues() throws IOException {
    MultipartReader reader = reader("--frontier\r\nCONTENT-type: \t image/png \t\r\n"
        + "Content-Transfer-Encoding:binary\r\nX-Empty:\r\n\r\nx\r\n--frontier--");

    MultipartReader.Part part = reader.nextPart();

    assertThat(part.headers())
        .isEqualTo(Map.of(
            "content-type", "image/png", "content-transfer-encoding", "binary", "x-empty", ""));
    assertThat(part.contentType()).isEqualTo("image/png");
    assertThat(part.header("Content-Transfer-Encoding")).isEqualTo("binary");
    assertThat(part.header("X-Missing")).isNull();
  }

  @Test
  void defaultsTheContentTypeToOctetStream() throws IOException {
    MultipartReader reader =
        reader("--frontier\n\na\n--frontier\nContent-Type:\n\nb\n--frontier--");

    assertThat(reader.nextPart().contentType()).isEqualTo("application/octet-stream");
    assertThat(reader.nextPart().contentType()).isEqualTo("application/octet-stream");
  }

  @Test
  void joinsFoldedHeaderLinesTheWayLongPythonHeadersArrive() throws IOException {
    MultipartReader reader = reader("--frontier\nContent-Type: application/vnd.example;\n"
        + "\tprofile=\"long\"\nX-A: b\n\ndata\n--frontier--\n");

    assertThat(reader.nextPart().headers())
        .isEqualTo(Map.of("content-type", "application/vnd.example; profile=\"long\"", "x-a", "b"));
  }

  @Test
  void acceptsCrlfHeaderLinesUnderLfFraming() throws IOException {
    MultipartReader reader = reader("--frontier\nContent-Type: a/b\r\n\r\ndata\n--frontier--");

    assertThat(reader.nextPart().contentType()).isEqualTo("a/b");
    assertThat(reader.partBody().readAllBytes()).isEqualTo(bytes("data"));
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void skipsTheUnreadRestOfAPartOnNextPart(Chunking chunking) throws IOException {
    byte[] first = new byte[200_000];
    new java.util.Random(7).nextBytes(first);
    byte[] body = new MultipartEncoder(BOUNDARY, "\r\n")
        .part("a/first", first).part("a/second", bytes("second")).part("a/third", first).encode();
    MultipartReader reader = new MultipartReader(chunking.open(body), BOUNDARY);

    reader.nextPart();
    assertThat(reader.partBody().readNBytes(3))
        .isEqualTo(new byte[] {first[0], first[1], first[2]});
    assertThat(reader.nextPart().contentType()).isEqualTo("a/second");
    assertThat(reader.nextPart().contentType()).isEqualTo("a/third"); // second never read at all
    assertThat(reader.nextPart()).isNull();
  }

  @Test
  void readsPartDataOneByteAtATimeThroughRead() throws IOException {
    byte[] media = bytes("\u0000\u00ff\r\n\r--frontierX\n");
    MultipartReader reader =
        new MultipartReader(Chunking.ONE_BYTE_PER_READ.open(
            new MultipartEncoder(BOUNDARY, "\n").part("a/b", media).encode()), BOUNDARY);
    reader.nextPart();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b; (b = reader.partBody().read()) != -1; ) {
      out.write(b);
    }

    assertThat(out.toByteArray()).isEqualTo(media);
    assertThat(reader.partBody().read()).isEqualTo(-1);
    assertThat(reader.partBody().read(new byte[0], 0, 0)).isZero();
  }

  @Test
  void returnsNullForeverAfterTheCloseDelimiter() throws IOException {
    MultipartReader reader = reader("--frontier\n\nx\n--frontier--\n--frontier\n\ny\n");

    assertThat(reader.nextPart()).isNotNull();
    assertThat(reader.nextPart()).isNull();
    assertThat(reader.nextPart()).isNull();
  }

  @Test
  void givesNoPartBodyBeforeTheFirstPartNorAfterTheLast() throws IOException {
    MultipartReader reader = reader("--frontier\n\nx\n--frontier--");
    assertThatThrownBy(reader::partBody).isInstanceOf(IllegalStateException.class);

    reader.nextPart();
    reader.nextPart();

    assertThatThrownBy(reader::partBody).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesReadsFromAPartTheReaderHasLeft() throws IOException {
    MultipartReader reader = reader("--frontier\n\nfirst\n--frontier\n\nsecond\n--frontier--");
    reader.nextPart();
    InputStream first = reader.partBody();
    first.close(); // closing a part does not close the request body

    reader.nextPart();

    assertThatThrownBy(first::read).isInstanceOf(IllegalStateException.class);
    assertThat(reader.partBody().readAllBytes()).isEqualTo(bytes("second"));
  }

  @Test
  void refusesABoundaryThatCouldNotFrameABody() {
    InputStream body = InputStream.nullInputStream();
    assertThatThrownBy(() -> new MultipartReader(body, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MultipartReader(body, "x".repeat(71)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MultipartReader(body, "caf\u00e9"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static MultipartReader reader(String body) {
    return new MultipartReader(Chunking.WHOLE.open(bytes(body)), BOUNDARY);
  }
}
