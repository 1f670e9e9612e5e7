package dev.farmapi.apiclient.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.UploadChunk;
import dev.farmapi.apiclient.discovery.Discovery;
import dev.farmapi.apiclient.discovery.MethodCall;
import dev.farmapi.apiclient.discovery.Service;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.testing.GoogleStandIn;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Drive example of docs/GOOGLE-APIS.md, as written there, given a service-account key file
 * and Google's real Drive v3 discovery document whose {@code rootUrl} points at a stand-in of
 * Drive's upload front end: what would upload to Drive, shown locally.
 */
class DriveWithServiceAccountTest {
  @TempDir Path dir;

  @Test
  void uploadsAFileToDriveResumablyWithTheServiceAccountsToken() throws Exception {
    try (GoogleStandIn google = new GoogleStandIn();
         TokenEndpoint tokens = new TokenEndpoint(life -> "ya29." + UUID.randomUUID())) {
      Path key = tokens.writeServiceAccountJson(dir.resolve("key.json"));
      Path report = LiveServer.randomFile(dir.resolve("report.pdf"), 2L * (1 << 20) + 321, 5);
      String document = driveDocumentAt(google.root());

      // --- the example ---
      ApiClient client = ApiClient.builder()
          .credentials(GoogleAuth.fromJson(key, "https://www.googleapis.com/auth/drive.file"))
          .build();
      Service drive = Discovery.fromDocument(document, client);

      MediaFileUpload media = MediaFileUpload.of(report)
          .withMimeType("application/pdf").withChunkSize(1 << 20).resumable();
      MethodCall request = drive.resource("files").method("create")
          .body(Map.of("name", "report.pdf")).mediaBody(media);
      JsonNode response = null;
      while (response == null) {
        UploadChunk<JsonNode> chunk = request.nextChunk();
        response = chunk.response();
      }
      // --- end of the example ---

      assertThat(LiveServer.sha256(google.stored.get(response.get("id").asText())))
          .isEqualTo(LiveServer.sha256(report));
      assertThat(tokens.grants).hasSize(1);
      assertThat(tokens.grants.get(0).scope()).isEqualTo("https://www.googleapis.com/auth/drive.file");
      RecordedRequest initiation = google.take();
      assertThat(initiation.getTarget()).isEqualTo("/upload/drive/v3/files?alt=json&uploadType=resumable");
      assertThat(initiation.getBody().utf8()).isEqualTo("{\"name\":\"report.pdf\"}");
      for (int i = 0; i < 4; i++) { // the initiation and three chunks
        RecordedRequest r = i == 0 ? initiation : google.take();
        assertThat(r.getHeaders().get("Authorization"))
            .isEqualTo("Bearer " + tokens.grants.get(0).token());
      }
    }
  }

  /** Google's Drive v3 document (apiclient's test resources), its rootUrl set to {@code root}. */
  static String driveDocumentAt(String root) throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (InputStream in = DriveWithServiceAccountTest.class.getResourceAsStream(
        "/dev/farmapi/apiclient/discovery/google/drive.v3.json")) {
      ObjectNode doc = (ObjectNode) json.readTree(in);
      doc.put("rootUrl", root);
      return json.writeValueAsString(doc);
    }
  }
}
