package dev.farmapi.apiclient.download;

import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Media on the live server for download tests: upload, replace, and what the server counted. */
final class FarmMedia {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private FarmMedia() {}

  /** Uploads {@code bytes} as a new animal's picture; returns the animal's id. */
  static String upload(LiveServer server, byte[] bytes) throws Exception {
    return server.client().request("POST", server.uri("farm/v1/animals"))
        .body(Map.of("name", "x"))
        .media(MediaInMemoryUpload.of(bytes, "image/png"), server.uri("upload/farm/v1/animals"))
        .build().execute().get("id").asText();
  }

  /** Replaces the animal's picture ({@code PUT upload/farm/v1/animals/ID?uploadType=media}). */
  static void replace(LiveServer server, String id, byte[] bytes) throws Exception {
    server.client().request("PUT", server.uri("farm/v1/animals/" + id))
        .media(MediaInMemoryUpload.of(bytes, "image/png"),
            server.uri("upload/farm/v1/animals/" + id))
        .build().execute();
  }

  static URI mediaUri(LiveServer server, String id) {
    return server.uri("farm/v1/animals/" + id + "?alt=media");
  }

  /** The server's count of media bytes it sent: {@code farm_download_sent_bytes_total}. */
  static long sentBytes(LiveServer server) throws Exception {
    return (long) metric(server, "farm_download_sent_bytes_total");
  }

  /** The server's count of error answers with {@code status}. */
  static long errors(LiveServer server, int status) throws Exception {
    return (long) metric(server, "farm_errors_total{", "status=\"" + status + "\"");
  }

  private static double metric(LiveServer server, String prefix, String... contains)
      throws Exception {
    String text = HTTP.send(HttpRequest.newBuilder(server.uri("metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    lines:
    for (String line : text.split("\n")) {
      if (!line.startsWith(prefix)) {
        continue;
      }
      for (String c : contains) {
        if (!line.contains(c)) {
          continue lines;
        }
      }
      sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }
}
