package dev.farmapi.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.UploadChunk;
import dev.farmapi.apiclient.discovery.MethodCall;
import dev.farmapi.apiclient.discovery.Service;
import dev.farmapi.apiclient.google.GoogleAuth;
import dev.farmapi.apiclient.media.MediaFileUpload;
import java.nio.file.Path;
import java.util.Map;

/**
 * Uploads a video to YouTube, resumably: {@code videos.insert} with {@code part} and a body, as
 * YouTube's own Python sample does. YouTube takes user credentials only (OAuth consent), e.g.
 * those {@code gcloud auth application-default login --scopes=...youtube.upload} writes.
 *
 * <pre>
 * java -cp 'target/classes:target/lib/*' dev.farmapi.examples.YouTubeUpload pigs.mp4 --title Pigs
 * </pre>
 *
 * <p>Takes the options of {@link DriveUpload} too.
 */
public final class YouTubeUpload {
  static final String SCOPE = "https://www.googleapis.com/auth/youtube.upload";

  public static void main(String[] args) throws Exception {
    Map<String, String> options = DriveUpload.Options.parse(args);
    Path video = Path.of(options.get(""));
    ApiClient client = ApiClient.builder()
        .credentials(options.containsKey("credentials")
            ? GoogleAuth.fromJson(Path.of(options.get("credentials")), SCOPE)
            : GoogleAuth.applicationDefault(SCOPE))
        .build();
    Service youtube = DriveUpload.Options.service(client, options,
        "https://www.googleapis.com/discovery/v1/apis/youtube/v3/rest");

    MethodCall request = youtube.resource("videos").method("insert")
        .param("part", "snippet,status")
        .body(Map.of(
            "snippet", Map.of("title", options.getOrDefault("title", "Pigs"), "categoryId", "22"),
            "status", Map.of("privacyStatus", "private")))
        .mediaBody(MediaFileUpload.of(video).withChunkSize(8 << 20).resumable());
    JsonNode response = null;
    while (response == null) {
      UploadChunk<JsonNode> chunk = request.nextChunk();
      chunk.progress().ifPresent(p ->
          System.out.printf("Uploaded %d%%.%n", (int) (p.progress() * 100)));
      response = chunk.response();
    }
    System.out.println("Video id '" + response.get("id").asText() + "' was uploaded.");
  }

  private YouTubeUpload() {}
}
