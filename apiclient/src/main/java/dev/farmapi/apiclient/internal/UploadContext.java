package dev.farmapi.apiclient.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.apiclient.ChecksumMismatchError;
import dev.farmapi.apiclient.Credentials;
import dev.farmapi.apiclient.RetryListener;
import dev.farmapi.apiclient.RetryPolicy;
import java.io.IOException;
import java.util.Map;

/**
 * What every request of one {@code ApiClient} shares: the transport (which authorizes each
 * request), the retry policy and how to wait, the credentials to refresh after a 401 (or null),
 * the JSON mapper, and whether media bytes are also checked with MD5 (CRC32C always is).
 */
public record UploadContext(Transport transport, RetryPolicy retryPolicy,
    Retrier.Sleeper sleeper, RetryListener retryListener, Credentials credentials,
    ObjectMapper json, boolean verifyMd5) {

  /** Fresh checksums of media bytes: CRC32C, and MD5 if this client verifies MD5. */
  public Checksums checksums() {
    return new Checksums(verifyMd5);
  }

  public Retrier retrier(int maxRetries) {
    return new Retrier(retryPolicy.withMaxRetries(maxRetries), sleeper, retryListener,
        credentials);
  }

  /**
   * The response body as JSON; an empty body is JSON null. A complete body that is not JSON (an
   * HTML error page from a proxy, a wrong URL) is a {@link MalformedResponseException}: the bytes
   * all arrived, so asking again would only get the same answer.
   */
  public JsonNode parse(Transport.Response response, String what) throws IOException {
    if (response.body().length == 0) {
      return json.nullNode();
    }
    try {
      return json.readTree(response.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new MalformedResponseException("the answer to " + what + " (HTTP "
          + response.status() + ") is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Compares the server's {@code crc32c}, and {@code md5Hash} if the source computed MD5 (Cloud
   * Storage's fields, which the Farm API shares), with the source's. A server that reports
   * neither cannot be checked.
   */
  public static void verify(JsonNode response, Checksums source, String what)
      throws ChecksumMismatchError {
    if (source.hasMd5()) {
      check("md5", source.md5(), response.path("md5Hash"), what);
    }
    check("crc32c", source.crc32c(), response.path("crc32c"), what);
  }

  private static void check(String algorithm, String expected, JsonNode actual, String what)
      throws ChecksumMismatchError {
    if (actual.isTextual() && !actual.textValue().equals(expected)) {
      throw new ChecksumMismatchError(algorithm, expected, actual.textValue(), what);
    }
  }

  static Map<String, String> headers(String... pairs) {
    java.util.LinkedHashMap<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        map.put(pairs[i], pairs[i + 1]);
      }
    }
    return map;
  }
}
