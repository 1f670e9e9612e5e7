package dev.farmapi.server.http;

import static dev.farmapi.server.http.MultipartEncoder.CRLF;
import static dev.farmapi.server.http.MultipartEncoder.LF;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What comes out of well-formed bodies, in both framings and over every {@link Chunking}. */
class MultipartReaderTest {
  static final String BOUNDARY = "frontier";
  static final byte[] JSON = "{\"name\": \"Pig\"}".getBytes(ISO_8859_1);

  static Stream<Arguments> framingsAndChunkings() {
    return Stream.of(CRLF, LF)
        .flatMap(lineBreak -> Stream.of(Chunking.values()).map(c -> Arguments.of(lineBreak, c)));
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void readsMetadataAndMediaParts(String lineBreak, Chunking chunking) throws IOException {
    byte[] media = bytes("\u0089PNG\r\n\u001a\n\u0000\u00ff");
    byte[] body = new MultipartEncoder(BOUNDARY, lineBreak)
        .part("application/json; charset=UTF-8", JSON)
        .part("image/png", media)
        .encode();

    assertThat(read(body, chunking))
        .containsExactly(
            part("application/json; charset=UTF-8", JSON), part("image/png", media));
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void keepsMediaEndingInEveryKindOfLineBreak(String lineBreak, Chunking chunking)
      throws IOException {
    for (String ending :
        List.of("\r", "\n", "\r\n", "\n\r", "\r\r", "\n\n", "\r\n\r\n", "-", "--")) {
      byte[] media = bytes("data" + ending);
      byte[] body = new MultipartEncoder(BOUNDARY, lineBreak).part("a/b", media).encode();

      assertThat(read(body, chunking))
          .as("ending %s", ending.replace("\r", "CR").replace("\n", "LF"))
          .containsExactly(part("a/b", media));
    }
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void keepsMediaEndingInCarriageReturnWithLfFraming(Chunking chunking) throws IOException {
    byte[] body = bytes("--frontier\nContent-Type: a/b\n\nline\r\n--frontier--\n");

    assertThat(read(body, chunking)).containsExactly(part("a/b", bytes("line\r")));
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void endsCrlfFramedMediaBeforeTheCrlfOnly(Chunking chunking) throws IOException {
    byte[] body = bytes("--frontier\r\nContent-Type: a/b\r\n\r\nline\r\r\n--frontier--");

    assertThat(read(body, chunking)).containsExactly(part("a/b", bytes("line\r")));
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void keepsEveryByteValueAndEmbeddedLineBreaks(String lineBreak, Chunking chunking)
      throws IOException {
    byte[] media = new byte[256 * 8 + 6];
    for (int i = 0; i < 256 * 8; i++) {
      media[i] = (byte) (i * 7);
    }
    System.arraycopy(bytes("\r\n\n\r\u0000\r"), 0, media, 256 * 8, 6);
    byte[] body = new MultipartEncoder(BOUNDARY, lineBreak).part("a/b", media).encode();

    assertThat(read(body, chunking)).containsExactly(part("a/b", media));
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void keepsLinesThatOnlyLookLikeDelimiters(String lineBreak, Chunking chunking)
      throws IOException {
    String eol = lineBreak;
    byte[] media = bytes("x" + eol + "--frontierX" + eol
        + "--frontier-x" + eol
        + "--frontier-" + eol
        + "--frontier \tx" + eol
        + "--frontie" + eol
        + "---frontier" + eol
        + " --frontier" + eol
        + "--FRONTIER" + eol
        + "--frontier\r\r\n"
        + "end");
    byte[] body = new MultipartEncoder(BOUNDARY, lineBreak).part("a/b", media).encode();

    assertThat(read(body, chunking)).containsExactly(part("a/b", media));
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void keepsDelimitersOfTheOtherFramingAsData(Chunking chunking) throws IOException {
    byte[] lfMedia = bytes("a\n--frontier\r\nb"); // '\r' is not LF framing's line break
    byte[] crlfMedia = bytes("a\n--frontier\r\nb"); // no '\r' before the '\n--': not CRLF's

    assertThat(read(new MultipartEncoder(BOUNDARY, LF).part("a/b", lfMedia).encode(), chunking))
        .containsExactly(part("a/b", lfMedia));
    assertThat(read(new MultipartEncoder(BOUNDARY, CRLF).part("a/b", crlfMedia).encode(), chunking))
        .containsExactly(part("a/b", crlfMedia));
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void readsZeroLengthParts(String lineBreak, Chunking chunking) throws IOException {
    byte[] body = new MultipartEncoder(BOUNDARY, lineBreak)
        .part("a/first", new byte[0])
        .part("a/middle", bytes("x"))
        .part("a/last", new byte[0])
        .encode();

    assertThat(read(body, chunking))
        .containsExactly(
            part("a/first", new byte[0]),
            part("a/middle", bytes("x")),
            part("a/last", new byte[0]));
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void readsAPartWithNoHeadersAndNoData(String lineBreak, Chunking chunking) throws IOException {
    byte[] body =
        new MultipartEncoder(BOUNDARY, lineBreak).rawPart(List.of(), new byte[0]).encode();

    assertThat(read(body, chunking)).containsExactly(new ReadPart(Map.of(), new byte[0]));
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void takesADelimiterRightAfterTheHeadersAsAnEmptyPart(String lineBreak, Chunking chunking)
      throws IOException {
    // RFC 2046: the line break before "--boundary" belongs to the delimiter, so here the empty
    // line after the headers doubles as it and the part has no data.
    String eol = lineBreak;
    byte[] body = bytes("--frontier" + eol + "Content-Type: a/b" + eol + eol + "--frontier" + eol
        + eol + "x" + eol + "--frontier--");

    assertThat(read(body, chunking))
        .containsExactly(part("a/b", new byte[0]), new ReadPart(Map.of(), bytes("x")));
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void ignoresPreambleEpilogueAndTransportPadding(String lineBreak, Chunking chunking)
      throws IOException {
    String eol = lineBreak;
    byte[] body = new MultipartEncoder(BOUNDARY, lineBreak)
        .preamble("This is a preamble." + eol + "--frontierX" + eol + "--frontier-not" + eol)
        .padding(" \t ")
        .epilogue(" \t" + eol + "epilogue" + eol + "--frontier" + eol + "garbage")
        .part("a/b", bytes("one"))
        .part("a/c", bytes("two"))
        .encode();

    assertThat(read(body, chunking))
        .containsExactly(part("a/b", bytes("one")), part("a/c", bytes("two")));
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void readsABodyThatEndsRightAfterTheCloseDelimiter(String lineBreak, Chunking chunking)
      throws IOException {
    byte[] body = new MultipartEncoder(BOUNDARY, lineBreak).epilogue("").part("a/b", JSON).encode();

    assertThat(read(body, chunking)).containsExactly(part("a/b", JSON));
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readsABodyWithNoParts(Chunking chunking) throws IOException {
    assertThat(read(bytes("--frontier--"), chunking)).isEmpty();
    assertThat(read(bytes("preamble\r\n--frontier--\r\n"), chunking)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("framingsAndChunkings")
  void findsDelimitersInABoundaryOfSeventyCharacters(String lineBreak, Chunking chunking)
      throws IOException {
    String boundary = "'()+_,-./:=? 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU";
    assertThat(boundary).hasSize(70);
    byte[] media = bytes("--" + boundary.substring(0, 69) + lineBreak + "--" + boundary + "x");
    byte[] body = new MultipartEncoder(boundary, lineBreak).part("a/b", media).encode();

    assertThat(ReadPart.readAll(chunking.open(body), boundary)).containsExactly(part("a/b", media));
  }

  private static List<ReadPart> read(byte[] body, Chunking chunking) throws IOException {
    return ReadPart.readAll(chunking.open(body), BOUNDARY);
  }

  static ReadPart part(String contentType, byte[] data) {
    return new ReadPart(Map.of("content-type", contentType), data);
  }

  static byte[] bytes(String latin1) {
    return latin1.getBytes(ISO_8859_1);
  }
}
