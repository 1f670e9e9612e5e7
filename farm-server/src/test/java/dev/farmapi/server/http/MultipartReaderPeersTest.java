package dev.farmapi.server.http;

import static dev.farmapi.server.http.MultipartReaderTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.MultipartContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bodies exactly as the real peers send them. */
class MultipartReaderPeersTest {
  /**
   * Captured from google-api-python-client 1.7.12 ({@code discovery.createMethod}: MIMEMultipart
   * flattened by {@code _BytesGenerator}) by {@code python_client_multipart.py} in the test
   * resources: LF framing, no preamble, a trailing LF. The media has CR, LF, CRLF, NUL, high
   * bytes, a line that looks like a delimiter, and ends in CR.
   */
  static final String PYTHON_CONTENT_TYPE =
      "multipart/related; boundary=\"===============4200804128566609054==\"";

  static final byte[] PYTHON_BODY = bytes("--===============4200804128566609054==\n"
      + "Content-Type: application/json\nMIME-Version: 1.0\n\n{\"name\": \"Pig\"}\n"
      + "--===============4200804128566609054==\nContent-Type: image/png\nMIME-Version: 1.0\n"
      + "Content-Transfer-Encoding: binary\n\n"
      + "\u0089PNG\r\n\u001a\n\u0000\u0001\u00fe\u00ffline one\nline two\r\nbare cr\r\n"
      + "--===============not-the-boundary==\n\u0000\u0000tail\r"
      + "\n--===============4200804128566609054==--\n");

  static final byte[] PYTHON_MEDIA = bytes(
      "\u0089PNG\r\n\u001a\n\u0000\u0001\u00fe\u00ffline one\nline two\r\nbare cr\r\n"
          + "--===============not-the-boundary==\n\u0000\u0000tail\r");

  /** The same script with {@code empty}: a zero-byte media part. */
  static final byte[] PYTHON_EMPTY_MEDIA_BODY = bytes("--===============4200804128566609054==\n"
      + "Content-Type: application/json\nMIME-Version: 1.0\n\n{\"name\": \"Pig\"}\n"
      + "--===============4200804128566609054==\nContent-Type: image/png\nMIME-Version: 1.0\n"
      + "Content-Transfer-Encoding: binary\n\n"
      + "\n--===============4200804128566609054==--\n");

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readsWhatThePythonClientSendsByteExactly(Chunking chunking) throws IOException {
    String boundary = MultipartReader.boundary(PYTHON_CONTENT_TYPE);

    List<ReadPart> parts = ReadPart.readAll(chunking.open(PYTHON_BODY), boundary);

    assertThat(boundary).isEqualTo("===============4200804128566609054==");
    assertThat(parts)
        .containsExactly(
            new ReadPart(
                Map.of("content-type", "application/json", "mime-version", "1.0"),
                bytes("{\"name\": \"Pig\"}")),
            new ReadPart(
                Map.of("content-type", "image/png", "mime-version", "1.0",
                    "content-transfer-encoding", "binary"),
                PYTHON_MEDIA));
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readsAZeroByteMediaPartFromThePythonClient(Chunking chunking) throws IOException {
    String boundary = MultipartReader.boundary(PYTHON_CONTENT_TYPE);

    List<ReadPart> parts = ReadPart.readAll(chunking.open(PYTHON_EMPTY_MEDIA_BODY), boundary);

    assertThat(parts).hasSize(2);
    assertThat(parts.get(1).headers()).containsEntry("content-type", "image/png");
    assertThat(parts.get(1).data()).isEmpty();
  }

  /** google-http-client's MultipartContent, which MediaHttpUploader uses: CRLF framing. */
  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readsWhatTheGoogleJavaClientSends(Chunking chunking) throws IOException {
    byte[] metadata = bytes("{\"name\":\"Pig\"}");
    byte[] media = bytes("\r\n--__END_OF_PART__\r\nnot a part\r\n\u0000\u00ff\r");
    MultipartContent content = new MultipartContent()
        .addPart(new MultipartContent.Part(new ByteArrayContent("application/json", metadata)))
        .addPart(new MultipartContent.Part(new ByteArrayContent("image/png", media)));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    content.writeTo(body);

    List<ReadPart> parts = ReadPart.readAll(
        chunking.open(body.toByteArray()), MultipartReader.boundary(content.getType()));

    assertThat(parts).extracting(ReadPart::data).containsExactly(metadata, media);
    assertThat(parts.get(1).headers())
        .containsEntry("content-type", "image/png")
        .containsEntry("content-transfer-encoding", "binary");
  }
}
