package dev.farmapi.server.http;

import static dev.farmapi.server.http.MultipartReaderTest.BOUNDARY;
import static dev.farmapi.server.http.MultipartReaderTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.server.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Malformed bodies are 400 invalidMultipart with a message saying what was expected. */
class MultipartReaderErrorsTest {
  @ParameterizedTest
  @EnumSource(Chunking.class)
  void rejectsABodyWithoutTheFirstDelimiter(Chunking chunking) {
    for (String body : List.of("", "hello", "--frontier", "--frontierX\n", "x--frontier\n",
        "--other\n\n--other--", "\r\n--frontier", "--frontier-\n")) {
      assertInvalid(body, chunking).hasMessageContaining("no delimiter line '--frontier'");
    }
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void rejectsABodyThatEndsBeforeTheCloseDelimiter(Chunking chunking) {
    for (String body : List.of(
        "--frontier\n\ndata",
        "--frontier\n\ndata\n",
        "--frontier\n\ndata\n--frontier",
        "--frontier\n\ndata\n--frontier-",
        "--frontier\r\n\r\ndata\r\n--frontier\r",
        "--frontier\r\n\r\ndata\r\n--frontier \t",
        "--frontier\r\n\r\ndata\n--frontier--",
        "--frontier\n\n",
        "--frontier\n\n\n--frontier\n\nsecond")) {
      assertInvalid(body, chunking)
          .hasMessageContaining("ended before the closing delimiter '--frontier--'");
    }
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void rejectsABodyThatEndsInsidePartHeaders(Chunking chunking) {
    for (String body : List.of("--frontier\n", "--frontier\nContent-Type: a/b",
        "--frontier\r\nContent-Type: a/b\r\n", "--frontier\n\n\n--frontier\nA: b\n")) {
      assertInvalid(body, chunking).hasMessageContaining("ended inside the headers of part");
    }
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void rejectsMalformedHeaderLines(Chunking chunking) {
    for (String line : List.of("no colon here", ": no name", "Content Type: a/b",
        "Content-Type : a/b", "Ünicode: x", "\u0000: x")) {
      assertInvalid("--frontier\n" + line + "\n\ndata\n--frontier--", chunking)
          .hasMessageContaining("part 1 has a malformed header line")
          .hasMessageContaining("expected 'Name: value'");
    }
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void rejectsAContinuationLineBeforeAnyHeader(Chunking chunking) {
    assertInvalid("--frontier\n folded\n\ndata\n--frontier--", chunking)
        .hasMessageContaining("continuation");
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void rejectsAHeaderThatAppearsTwice(Chunking chunking) {
    assertInvalid("--frontier\nContent-Type: a/b\ncontent-type: c/d\n\nx\n--frontier--", chunking)
        .hasMessageContaining("the header 'content-type' twice");
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void rejectsPartHeadersOverSixteenKibibytes(Chunking chunking) {
    String big = "X-Big: " + "a".repeat(MultipartReader.MAX_HEADER_BYTES) + "\n";
    assertInvalid("--frontier\n" + big + "\nx\n--frontier--", chunking)
        .hasMessageContaining("headers of part 1 are longer than 16384 bytes");
    String many = "A: b\n".repeat(MultipartReader.MAX_HEADER_BYTES / 5 + 1);
    assertInvalid("--frontier\n" + many + "\nx\n--frontier--", chunking)
        .hasMessageContaining("longer than 16384 bytes");
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void acceptsHeadersJustUnderTheLimit(Chunking chunking) throws IOException {
    String value = "a".repeat(MultipartReader.MAX_HEADER_BYTES - "X-Big: \n".length());
    byte[] body = bytes("--frontier\nX-Big: " + value + "\n\nx\n--frontier--");

    assertThat(ReadPart.readAll(chunking.open(body), BOUNDARY).get(0).headers())
        .containsEntry("x-big", value);
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void rejectsTransportPaddingTooLongToLookPast(Chunking chunking) {
    String padding = " ".repeat(MultipartScanner.MAX_PADDING + 1);
    assertInvalid("--frontier\n\ndata\n--frontier" + padding + "\n\nx\n--frontier--", chunking)
        .hasMessageContaining("more than 256 spaces or tabs");
  }

  @Test
  void reportsTruncationFromThePartBodyStreamToo() throws IOException {
    MultipartReader reader = new MultipartReader(InputStream.nullInputStream(), BOUNDARY);
    assertThatThrownBy(reader::nextPart).isInstanceOf(ApiException.class);

    MultipartReader truncated =
        new MultipartReader(Chunking.WHOLE.open(bytes("--frontier\n\nmedia cut sh")), BOUNDARY);
    truncated.nextPart();
    assertThatThrownBy(() -> truncated.partBody().readAllBytes())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("ended before the closing delimiter");
  }

  @Test
  void staysFailedAfterAMalformedPart() throws IOException {
    MultipartReader reader =
        new MultipartReader(Chunking.WHOLE.open(bytes("--frontier\nbad\n\nx\n--frontier--")),
            BOUNDARY);
    assertThatThrownBy(reader::nextPart).isInstanceOf(ApiException.class);
    assertThatThrownBy(reader::nextPart).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void letsFailuresOfTheUnderlyingStreamThroughAsThemselves() throws IOException {
    IOException reset = new IOException("connection reset");
    byte[] head = bytes("--frontier\nContent-Type: a/b\n\nsome media");
    MultipartReader reader = new MultipartReader(Chunking.failingAfter(head, reset), BOUNDARY);
    assertThat(reader.nextPart()).isNotNull();

    assertThatThrownBy(() -> reader.partBody().readAllBytes()).isSameAs(reset);
    MultipartReader early =
        new MultipartReader(Chunking.failingAfter(new byte[3], reset), BOUNDARY);
    assertThatThrownBy(early::nextPart).isSameAs(reset);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(
      String body, Chunking chunking) {
    return assertThatThrownBy(() -> ReadPart.readAll(chunking.open(bytes(body)), BOUNDARY))
        .as("body %s", body.replace("\r", "\\r").replace("\n", "\\n"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.reason()).isEqualTo("invalidMultipart");
              assertThat(e.getMessage()).contains("expected");
            });
  }
}
