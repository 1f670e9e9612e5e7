package dev.farmapi.apiclient.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.MediaUploadProgress;
import dev.farmapi.apiclient.UploadChunk;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small helpers the upload tests share: building an insert, driving it, checking the result. */
public final class TestUploads {
  private TestUploads() {}

  /** How a test drives a request: {@code execute()}, or a {@code nextChunk()} loop. */
  public enum Driver {
    EXECUTE, NEXT_CHUNK;

    /** Runs the request to its response; with NEXT_CHUNK, the progress seen is added to {@code seen}. */
    public JsonNode run(HttpRequest<JsonNode> request, List<MediaUploadProgress> seen)
        throws IOException {
      if (this == EXECUTE) {
        return request.execute();
      }
      JsonNode response = null;
      for (int calls = 0; response == null; calls++) {
        if (calls > 10_000) {
          throw new AssertionError("nextChunk() never finished");
        }
        UploadChunk<JsonNode> chunk = request.nextChunk();
        chunk.progress().ifPresent(seen::add);
        response = chunk.response();
      }
      return response;
    }

    public JsonNode run(HttpRequest<JsonNode> request) throws IOException {
      return run(request, new ArrayList<>());
    }
  }

  /** An insert of an animal named {@code name} with {@code media}, opted into a retry test. */
  public static HttpRequest.Builder<JsonNode> insert(LiveServer server, ApiClient client,
      String name, MediaUpload media, String retryTestId) {
    HttpRequest.Builder<JsonNode> b = client.request("POST", server.uri("farm/v1/animals"))
        .media(media, server.uri("upload/farm/v1/animals"));
    if (name != null) {
      b.body(Map.of("name", name));
    }
    if (retryTestId != null) {
      b.header("x-retry-test-id", retryTestId);
    }
    return b;
  }

  /** The server stored exactly {@code source} for the animal {@code response} describes. */
  public static void assertStored(LiveServer server, JsonNode response, byte[] source)
      throws IOException, InterruptedException {
    assertThat(response.path("id").asText()).isNotEmpty();
    assertThat(response.path("mediaSize").asText()).isEqualTo(Long.toString(source.length));
    assertThat(LiveServer.sha256(server.download(response.get("id").asText())))
        .as("SHA-256 of the stored media")
        .isEqualTo(LiveServer.sha256(source));
  }
}
