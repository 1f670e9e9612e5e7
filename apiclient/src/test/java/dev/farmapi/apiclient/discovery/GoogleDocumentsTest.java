package dev.farmapi.apiclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.Credentials;
import dev.farmapi.apiclient.MediaDownload;
import dev.farmapi.apiclient.MediaUploadSizeError;
import dev.farmapi.apiclient.UnacceptableMimeTypeError;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.testing.GoogleStandIn;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Google's published discovery documents of Drive v3, Cloud Storage v1 and YouTube v3 (in the
 * test resources, with where they come from), their {@code rootUrl} pointed at a
 * {@link GoogleStandIn}: each call goes out as google-api-python-client 1.7.12 builds it
 * ({@code google_parity.py} recorded that in {@code google-parity.json}), and uploads,
 * downloads and paging work end to end.
 */
class GoogleDocumentsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNode PYTHON = read("google/google-parity.json");
  static final int CHUNK = 256 * 1024;

  @TempDir Path dir;
  GoogleStandIn google;

  @BeforeEach
  void start() throws IOException {
    google = new GoogleStandIn();
  }

  @AfterEach
  void stop() {
    google.close();
  }

  static JsonNode read(String name) {
    try (InputStream in = GoogleDocumentsTest.class.getResourceAsStream(name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The real document, its rootUrl pointed at the stand-in. */
  Service service(String name, ApiClient client) throws IOException {
    ObjectNode doc = (ObjectNode) read("google/" + name + ".json");
    doc.put("rootUrl", google.root());
    return Discovery.fromDocument(doc, client);
  }

  static Stream<JsonNode> calls() {
    List<JsonNode> list = new ArrayList<>();
    PYTHON.get("calls").forEach(list::add);
    return list.stream();
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("calls")
  void sendsWhatThePythonClientSendsOrRefusesWhatItRefuses(JsonNode c) throws Exception {
    String svc = c.get("service").asText();
    ApiClient client = svc.endsWith("+key")
        ? ApiClient.builder().apiKey("AIzaTestKey").build() : ApiClient.create();
    MethodCall call = service(svc.replace("+key", ""), client)
        .resource(c.get("resource").asText()).method(c.get("method").asText());
    c.get("params").fields().forEachRemaining(e -> call.param(e.getKey(), value(e.getValue())));
    if (!c.get("body").isNull()) {
      call.body(c.get("body"));
    }
    byte[] media = media(call, c.get("media"));

    if (c.has("error")) {
      Class<? extends Throwable> expected = switch (c.get("error").asText()) {
        case "UnacceptableMimeTypeError" -> UnacceptableMimeTypeError.class;
        case "MediaUploadSizeError" -> MediaUploadSizeError.class;
        default -> IllegalArgumentException.class; // Python's TypeError
      };
      assertThatThrownBy(call::build).isInstanceOf(expected);
      return;
    }
    JsonNode answer = call.execute();

    RecordedRequest first = google.take();
    assertThat(first.getMethod()).isEqualTo(c.get("httpMethod").asText());
    String python = "/" + c.get("uri").asText();
    if (svc.endsWith("+key")) { // Python puts the key first, we add it last: same pairs
      assertThat(pairs(first.getTarget())).isEqualTo(pairs(python));
    } else {
      assertThat(first.getTarget()).isEqualTo(python);
    }
    String type = c.get("contentType").isNull() ? null : c.get("contentType").asText();
    if (type != null && type.startsWith("multipart/related")) {
      assertThat(first.getHeaders().get("Content-Type")).startsWith("multipart/related");
      assertThat(metadataPart(first)).isEqualTo(c.get("metadata"));
    } else if (c.get("resumable").asBoolean() && type == null) {
      assertThat(first.getHeaders().get("Content-Type")).isNull(); // an empty initiation
    } else if (type != null) {
      assertThat(first.getHeaders().get("Content-Type")).startsWith(type);
    }
    if (media != null) {
      assertThat(google.stored.get(answer.get("id").asText())).isEqualTo(media);
    }
    if (c.has("mediaUri")) {
      assertThat(call(client, c).mediaUri().toString()).isEqualTo(google.root() + c.get("mediaUri").asText());
    }
    if (c.has("nextUri")) {
      MethodCall next = call.next(JSON.readTree("{\"nextPageToken\": \"tok 2/3\"}")).orElseThrow();
      // Python's list_next re-encodes the query, putting pageToken last: the same pairs.
      URI ours = next.build().uri();
      URI theirs = URI.create(google.root() + c.get("nextUri").asText());
      assertThat(ours.getRawPath()).isEqualTo(theirs.getRawPath());
      assertThat(pairs(ours.toString())).isEqualTo(pairs(theirs.toString()));
      assertThat(call.next(JSON.readTree("{\"items\": []}"))).isEmpty();
    }
  }

  /** The same call again, unstarted: {@code mediaUri} needs no request. */
  MethodCall call(ApiClient client, JsonNode c) throws IOException {
    MethodCall call = service(c.get("service").asText(), client)
        .resource(c.get("resource").asText()).method(c.get("method").asText());
    c.get("params").fields().forEachRemaining(e -> call.param(e.getKey(), value(e.getValue())));
    return call;
  }

  /** Sets the call's media as the Python call had it; returns its bytes. */
  byte[] media(MethodCall call, JsonNode spec) throws IOException {
    if (spec.isNull()) {
      return null;
    }
    if (spec.isTextual()) { // a file by name: its type guessed, checked against accept
      Map<String, Integer> sizes = Map.of("report.pdf", 1000, "clip.mp4", 3000, "notes.txt", 10,
          "thumb.png", 2000, "big.png", 3 * 1024 * 1024);
      byte[] bytes = new byte[sizes.get(spec.asText())];
      Arrays.fill(bytes, (byte) 0x89);
      call.mediaBody(Files.write(dir.resolve(spec.asText()), bytes));
      return bytes;
    }
    byte[] bytes = new byte[spec.get("size").asInt()];
    Arrays.fill(bytes, (byte) 0x89);
    MediaInMemoryUpload upload = MediaInMemoryUpload.of(bytes, spec.get("mimetype").asText());
    call.mediaBody(spec.get("resumable").asBoolean() ? upload.resumable() : upload);
    return bytes;
  }

  static Object value(JsonNode v) {
    return v.isBoolean() ? v.booleanValue() : v.isIntegralNumber() ? v.longValue() : v.asText();
  }

  static Set<String> pairs(String target) {
    return new HashSet<>(Arrays.asList(URI.create(target).getRawQuery().split("&")));
  }

  /** The JSON of a multipart body's first part. */
  static JsonNode metadataPart(RecordedRequest r) throws IOException {
    String body = r.getBody().string(StandardCharsets.UTF_8);
    int start = body.indexOf('{');
    return JSON.readTree(body.substring(start, body.indexOf("\n--", start)).trim());
  }

  @Test
  void uploadsAVideoToYouTubeInResumableChunksWithAnAccessToken() throws Exception {
    Path video = LiveServer.randomFile(dir.resolve("pigs.mp4"), 3L * CHUNK + 777, 11);
    ApiClient client = ApiClient.builder().credentials(Credentials.bearer("ya29.test")).build();
    MethodCall insert = service("youtube.v3", client).resource("videos").method("insert")
        .param("part", "snippet,status")
        .body(Map.of("snippet", Map.of("title", "Pigs"), "status", Map.of("privacyStatus", "private")))
        .mediaBody(MediaFileUpload.of(video).withChunkSize(CHUNK).resumable());

    JsonNode video1 = null;
    int chunks = 0;
    while (video1 == null) {
      video1 = insert.nextChunk().response();
      chunks++;
    }

    assertThat(chunks).isEqualTo(4);
    assertThat(LiveServer.sha256(google.stored.get(video1.get("id").asText())))
        .isEqualTo(LiveServer.sha256(video));
    RecordedRequest initiation = google.take();
    assertThat(initiation.getTarget())
        .isEqualTo("/upload/youtube/v3/videos?part=snippet%2Cstatus&alt=json&uploadType=resumable");
    assertThat(initiation.getHeaders().get("X-Upload-Content-Type")).isEqualTo("video/mp4");
    for (int i = 0; i < 5; i++) {
      RecordedRequest r = i == 0 ? initiation : google.take();
      assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer ya29.test");
    }
  }

  @Test
  void downloadsDriveAndStorageMediaWithAltMediaInRanges() throws Exception {
    ApiClient client = ApiClient.create();
    byte[] bytes = LiveServer.randomBytes(700_000, 12);
    JsonNode object = service("storage.v1", client).resource("objects").method("insert")
        .param("bucket", "farm").param("name", "pigs/\u00e9t\u00e9.bin")
        .mediaBody(MediaInMemoryUpload.of(bytes, "application/octet-stream")).execute();

    for (MethodCall get : List.of(
        service("drive.v3", client).resource("files").method("get").param("fileId", "f1"),
        service("storage.v1", client).resource("objects").method("get")
            .param("bucket", "farm").param("object", "pigs/\u00e9t\u00e9.bin"))) {
      Path copy = dir.resolve(get.id() + ".bin");
      MediaDownload.to(copy, client, get.mediaUri()).withChunkSize(CHUNK).execute();
      assertThat(LiveServer.sha256(copy)).isEqualTo(LiveServer.sha256(bytes));
    }
    assertThat(object.get("crc32c").asText()).isEqualTo(GoogleStandIn.crc32c(bytes));
  }

  @Test
  void pagesThroughDriveFilesAndStorageObjectsWithNextPageToken() throws Exception {
    ApiClient client = ApiClient.create();
    for (MethodCall list : List.of(
        service("drive.v3", client).resource("files").method("list").param("pageSize", 1),
        service("storage.v1", client).resource("objects").method("list").param("bucket", "farm"))) {
      List<String> ids = new ArrayList<>();
      for (MethodCall page = list; page != null; ) {
        JsonNode answer = page.execute();
        answer.path(answer.has("files") && list.id().startsWith("drive") ? "files" : "items")
            .forEach(item -> ids.add(item.get("id").asText()));
        page = page.next(answer).orElse(null);
      }
      assertThat(ids).containsExactly("a", "b");
      assertThat(google.take().getUrl().queryParameter("pageToken")).isNull();
      assertThat(google.take().getUrl().queryParameter("pageToken")).isEqualTo(GoogleStandIn.NEXT_PAGE);
    }
  }
}
