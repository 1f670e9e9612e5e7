package dev.farmapi.bench.client;

import com.google.api.client.googleapis.media.MediaHttpUploader;
import com.google.api.client.http.AbstractInputStreamContent;
import com.google.api.client.http.FileContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.InputStreamContent;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.http.json.JsonHttpContent;
import com.google.api.client.json.GenericJson;
import com.google.api.client.json.JsonObjectParser;
import com.google.api.client.json.gson.GsonFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Java peer in its own process: google-api-java-client's {@link MediaHttpUploader} over its
 * default {@link NetHttpTransport}, configured the way a user who wants speed would: gzip off
 * ({@code setDisableGZipContent(true)}: the library gzips by default, which costs CPU and, for
 * random or already-compressed media, saves nothing), the chunk size set, and the API key as a
 * Bearer header. Same modes as {@link OursClient}, less {@code load}.
 */
public final class JavaPeerClient {
  private static final String TYPE = "application/octet-stream";
  private static final GsonFactory GSON = GsonFactory.getDefaultInstance();

  private JavaPeerClient() {}

  public static void main(String[] args) throws Exception {
    String root = args[1].endsWith("/") ? args[1] : args[1] + "/";
    String key = args[2];
    NetHttpTransport transport = new NetHttpTransport();
    HttpRequestInitializer auth = r -> {
      r.getHeaders().setAuthorization("Bearer " + key);
      r.setParser(new JsonObjectParser(GSON));
    };
    UploadLog log = new UploadLog();
    switch (args[0]) {
      case "file" -> {
        FileContent content = new FileContent(TYPE, Path.of(args[3]).toFile());
        log.start();
        upload(log, transport, auth, root, content, Integer.parseInt(args[4]), "bench", false);
      }
      case "stream" -> {
        AbstractInputStreamContent content = new InputStreamContent(TYPE, System.in)
            .setLength(-1);
        log.start();
        upload(log, transport, auth, root, content, Integer.parseInt(args[3]), "bench-stream",
            false);
      }
      case "small" -> {
        List<Path> files = OursClient.list(Path.of(args[3]));
        log.start();
        int i = 0;
        for (Path f : files) {
          FileContent content = new FileContent(TYPE, f.toFile());
          upload(log, transport, auth, root, content, MediaHttpUploader.DEFAULT_CHUNK_SIZE,
              "small-" + i++, true);
        }
      }
      case "startup" -> {
        log.start();
        transport.createRequestFactory(auth)
            .buildGetRequest(new GenericUrl(root + "farm/v1/animals?maxResults=1"))
            .execute().parseAsString();
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    log.finish();
  }

  private static void upload(UploadLog log, NetHttpTransport transport,
      HttpRequestInitializer auth, String root, AbstractInputStreamContent content, int chunk,
      String name, boolean direct) throws IOException {
    MediaHttpUploader uploader = new MediaHttpUploader(content, transport, auth)
        .setChunkSize(chunk)
        .setDisableGZipContent(true)
        .setDirectUploadEnabled(direct)
        .setMetadata(new JsonHttpContent(GSON, Map.of("name", name)));
    String type = direct ? "multipart" : "resumable";
    HttpResponse response =
        uploader.upload(new GenericUrl(root + "upload/farm/v1/animals?uploadType=" + type));
    if (!response.isSuccessStatusCode()) {
      throw new IOException("upload failed: " + response.getStatusCode());
    }
    // Reading the body to its end (not disconnect()) lets HttpURLConnection keep the connection.
    GenericJson animal = response.parseAs(GenericJson.class);
    Object size = animal.get("mediaSize");
    log.stored((String) animal.get("id"), (String) animal.get("md5Hash"),
        size == null ? null : Long.valueOf(size.toString()));
  }
}
