package dev.farmapi.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.UploadChunk;
import dev.farmapi.apiclient.discovery.Discovery;
import dev.farmapi.apiclient.discovery.MethodCall;
import dev.farmapi.apiclient.discovery.Service;
import dev.farmapi.apiclient.google.GoogleAuth;
import dev.farmapi.apiclient.media.MediaFileUpload;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Uploads a file to Google Drive, resumably, with a service account's (or any Application
 * Default) credentials: Drive's discovery document, {@code files.create} with
 * {@code media_body}, {@code next_chunk()} in a loop, as the Python client does.
 *
 * <pre>
 * GOOGLE_APPLICATION_CREDENTIALS=key.json \
 *   java -cp 'target/classes:target/lib/*' dev.farmapi.examples.DriveUpload report.pdf
 * </pre>
 *
 * <p>Options for trying it without Google: {@code --discovery FILE} reads the document from a
 * file, {@code --root-url URL} sends the calls to that server instead of the document's
 * {@code rootUrl}, {@code --credentials FILE} names the credentials file.
 */
public final class DriveUpload {
  static final String SCOPE = "https://www.googleapis.com/auth/drive.file";

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    Path file = Path.of(options.get(""));
    ApiClient client = ApiClient.builder()
        .credentials(options.containsKey("credentials")
            ? GoogleAuth.fromJson(Path.of(options.get("credentials")), SCOPE)
            : GoogleAuth.applicationDefault(SCOPE))
        .build();
    Service drive = Options.service(client, options,
        "https://www.googleapis.com/discovery/v1/apis/drive/v3/rest");

    MethodCall request = drive.resource("files").method("create")
        .body(Map.of("name", file.getFileName().toString()))
        .mediaBody(MediaFileUpload.of(file).withChunkSize(1 << 20).resumable());
    JsonNode response = null;
    while (response == null) {
      UploadChunk<JsonNode> chunk = request.nextChunk();
      chunk.progress().ifPresent(p ->
          System.out.printf("Uploaded %d%%.%n", (int) (p.progress() * 100)));
      response = chunk.response();
    }
    System.out.println("Upload Complete! File ID: " + response.get("id").asText());
  }

  /** --name value options and one positional argument (the file). */
  static final class Options {
    static Map<String, String> parse(String[] args) {
      Map<String, String> options = new java.util.HashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (args[i].startsWith("--")) {
          options.put(args[i].substring(2), args[++i]);
        } else {
          options.put("", args[i]);
        }
      }
      return options;
    }

    /** The service from the document (a file or Google's URL), rootUrl replaced if asked. */
    static Service service(ApiClient client, Map<String, String> options, String discoveryUrl)
        throws Exception {
      if (!options.containsKey("discovery") && !options.containsKey("root-url")) {
        return Discovery.build(URI.create(discoveryUrl), client);
      }
      ObjectNode doc = (ObjectNode) client.json().readTree(options.containsKey("discovery")
          ? Files.readString(Path.of(options.get("discovery")))
          : client.request("GET", URI.create(discoveryUrl)).build().execute().toString());
      if (options.containsKey("root-url")) {
        doc.put("rootUrl", options.get("root-url"));
      }
      return Discovery.fromDocument(doc, client);
    }

    private Options() {}
  }

  private DriveUpload() {}
}
