package dev.farmapi.bench.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The few admin calls the harness makes itself: deleting what an upload stored. */
public final class ServerApi {
  private final HttpClient http = HttpClient.newHttpClient();
  private final Endpoint server;

  public ServerApi(Endpoint server) {
    this.server = server;
  }

  /** Deletes an animal (and its blob), so that big runs do not fill the disk. */
  public void delete(String id) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(server.root().resolve("farm/v1/animals/" + id))
        .header("Authorization", "Bearer " + server.key())
        .DELETE().build();
    HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("DELETE " + id + ": " + r.statusCode());
    }
  }
}
