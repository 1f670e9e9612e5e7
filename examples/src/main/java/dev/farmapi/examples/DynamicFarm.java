package dev.farmapi.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.UploadChunk;
import dev.farmapi.apiclient.discovery.Discovery;
import dev.farmapi.apiclient.discovery.MethodCall;
import dev.farmapi.apiclient.discovery.Service;
import dev.farmapi.apiclient.media.MediaFileUpload;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The guide's examples as Python runs them: a service built from the server's discovery
 * document, {@code media_body} and {@code next_chunk()}.
 *
 * <pre>
 * java -cp 'target/classes:target/lib/*' dev.farmapi.examples.DynamicFarm SERVER KEY pig.png
 * </pre>
 */
public final class DynamicFarm {
  public static void main(String[] args) throws Exception {
    URI root = URI.create(args[0].endsWith("/") ? args[0] : args[0] + "/");
    ApiClient client = ApiClient.builder().apiKey(args[1]).build(); // Python's developerKey
    Service farm = Discovery.build(root.resolve("discovery/v1/apis/farm/v1/rest"), client);
    Path picture = Path.of(args[2]);

    // response = farm.animals().insert(media_body='pig.png', body={'name': 'Pig'}).execute()
    JsonNode response = farm.resource("animals").method("insert")
        .body(Map.of("name", "Pig")).mediaBody(picture).execute();
    System.out.println("Inserted " + response.get("id").asText());

    // media = MediaFileUpload('pig.png', mimetype='image/png', chunksize=262144, resumable=True)
    MethodCall request = farm.resource("animals").method("insert")
        .body(Map.of("name", "Pig"))
        .mediaBody(MediaFileUpload.of(picture).withMimeType("image/png")
            .withChunkSize(262144).resumable());
    response = null;
    while (response == null) {
      UploadChunk<JsonNode> chunk = request.nextChunk();
      chunk.progress().ifPresent(p ->
          System.out.printf("Uploaded %d%%.%n", (int) (p.progress() * 100)));
      response = chunk.response();
    }
    System.out.println("Upload Complete! " + response.get("id").asText() + " "
        + response.get("crc32c").asText());
  }

  private DynamicFarm() {}
}
