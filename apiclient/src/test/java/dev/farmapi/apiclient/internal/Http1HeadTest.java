package dev.farmapi.apiclient.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.apiclient.internal.Http1Head.Framing;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How our engine reads a server's answer: status, fields, framing (RFC 9112 section 6.3). */
class Http1HeadTest {

  @Test
  void aLengthFramedAnswerIsReadExactlyAndLeavesTheConnectionReusable() throws IOException {
    Http1Input in = input("HTTP/1.1 200 OK\r\ncontent-length: 5\r\nX-Goog-Hash: crc32c=a\r\n"
        + "x-goog-hash: md5=b\r\n\r\nhelloNEXT\r\n");
    Http1Head head = Http1Head.read(in, "GET");

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.framing()).isEqualTo(Framing.LENGTH);
    assertThat(head.keepAlive()).isTrue();
    assertThat(head.headers().allValues("X-GOOG-HASH")).containsExactly("crc32c=a", "md5=b");
    List<Boolean> ends = new ArrayList<>();
    assertThat(readAll(Http1Body.of(head, in, ends::add))).isEqualTo("hello");
    assertThat(ends).containsExactly(true);
    assertThat(in.readLine(10)).as("the next answer's bytes stay unread").isEqualTo("NEXT");
  }

  @Test
  void chunkedAnswersAreDecodedAndTheirTrailersDropped() throws IOException {
    Http1Input in = input("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=v\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Checksum: 1\r\n\r\n");
    Http1Head head = Http1Head.read(in, "GET");
    List<Boolean> ends = new ArrayList<>();

    assertThat(readAll(Http1Body.of(head, in, ends::add))).isEqualTo("hello, world!!!");
    assertThat(ends).containsExactly(true);
  }

  @Test
  void interimAnswersAreSkippedAndBodilessAnswersHaveNoBody() throws IOException {
    assertThat(Http1Head.read(input("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early\r\n\r\n"
        + "HTTP/1.1 308 Resume Incomplete\r\nRange: bytes=0-9\r\nContent-Length: 0\r\n\r\n"), "PUT")
        .status()).isEqualTo(308);
    assertThat(Http1Head.read(input("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"), "HEAD")
        .framing()).isEqualTo(Framing.NONE);
    assertThat(Http1Head.read(input("HTTP/1.1 204 No Content\r\n\r\n"), "DELETE").framing())
        .isEqualTo(Framing.NONE);
    assertThat(Http1Head.read(input("HTTP/1.1 304 Not Modified\r\n\r\n"), "GET").framing())
        .isEqualTo(Framing.NONE);
  }

  @Test
  void answersWithoutALengthRunUntilCloseAndEndTheirConnection() throws IOException {
    Http1Input in = input("HTTP/1.0 200 OK\r\n\r\nall of it");
    Http1Head head = Http1Head.read(in, "GET");
    List<Boolean> ends = new ArrayList<>();

    assertThat(head.framing()).isEqualTo(Framing.UNTIL_CLOSE);
    assertThat(readAll(Http1Body.of(head, in, ends::add))).isEqualTo("all of it");
    assertThat(ends).as("the connection cannot carry another request").containsExactly(false);
    assertThat(Http1Head.read(input("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\n"
        + "Content-Length: 0\r\n\r\n"), "GET").keepAlive()).isFalse();
  }

  @Test
  void transferEncodingWinsOverContentLengthButTheConnectionIsNotTrustedAgain()
      throws IOException {
    Http1Head head = Http1Head.read(input("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
        + "Transfer-Encoding: gzip, chunked\r\n\r\n"), "GET");

    assertThat(head.framing()).isEqualTo(Framing.CHUNKED);
    assertThat(head.keepAlive()).isFalse();
  }

  @Test
  void malformedAnswersAreProtocolErrors() {
    for (String answer : List.of(
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "HTTP/1.1 999 Nine\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 101 Switching\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded: line\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 9999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(Http1Head.MAX_FIELDS + 1) + "\r\n",
        "HTTP/1.1 200 OK\r\nX: " + "a".repeat(Http1Head.MAX_LINE + 1) + "\r\n\r\n")) {
      assertThatThrownBy(() -> Http1Head.read(input(answer), "GET"))
          .as(answer.length() > 80 ? answer.substring(0, 80) : answer)
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void chunkSizesAreHexWithOptionalExtensionsAndBounded() throws ProtocolException {
    assertThat(Http1Head.chunkSize("1a")).isEqualTo(26);
    assertThat(Http1Head.chunkSize("FF ; name=\"v\"")).isEqualTo(255);
    assertThat(Http1Head.chunkSize("fffffffffffffff")).isEqualTo(0xfffffffffffffffL);
    for (String bad : List.of("", "-1", "0x10", "g", "1 2", "ffffffffffffffff")) {
      assertThatThrownBy(() -> Http1Head.chunkSize(bad)).as(bad)
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void answersCutShortFailAndDropTheirConnection() throws IOException {
    assertThatThrownBy(() -> Http1Head.read(input("HTTP/1.1 200 OK\r\nContent-Le"), "GET"))
        .isInstanceOf(EOFException.class);
    assertThat(Http1Head.read(input(""), "GET")).as("closed before answering").isNull();
    for (String cut : List.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n")) {
      Http1Input in = input(cut);
      Http1Head head = Http1Head.read(in, "GET");
      List<Boolean> ends = new ArrayList<>();
      assertThatThrownBy(() -> readAll(Http1Body.of(head, in, ends::add))).as(cut)
          .isInstanceOf(IOException.class);
      assertThat(ends).containsExactly(false);
    }
  }

  private static Http1Input input(String wire) {
    return new Http1Input(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)),
        7);
  }

  private static String readAll(InputStream body) throws IOException {
    try (body) {
      return new String(body.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
