package dev.farmapi.server.interop;

import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static dev.farmapi.server.testing.FarmTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.googleapis.media.MediaHttpUploader;
import com.google.api.client.googleapis.media.MediaHttpUploader.UploadState;
import com.google.api.client.http.AbstractInputStreamContent;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.InputStreamContent;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.http.json.JsonHttpContent;
import com.google.api.client.json.gson.GsonFactory;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.SharedCluster;
import dev.farmapi.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * google-api-java-client's {@link MediaHttpUploader} (over {@link NetHttpTransport}), unmodified,
 * against a real in-process Farm server. Every upload is checked where it matters: the bytes the
 * server stored (downloaded, SHA-256) and the animal's name. The peer's requests are recorded
 * per attempt by {@link JavaPeer}, so the tests also pin down what the peer really sends.
 */
class GoogleJavaClientInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A few MiB and some bytes: the last chunk is short whatever the chunk size. */
  private static final int ODD_SIZE = 3 * 1024 * 1024 + 12_345;
  private static final int KIB_256 = MediaHttpUploader.MINIMUM_CHUNK_SIZE;
  private static final int MIB = 1024 * 1024;

  // One server for the class: every test checks its own animal by id. (A stop waits about a
  // second for the idle keep-alive connections the JDK's HttpURLConnection pools.)
  @TempDir static Path dataDir;
  private static TestServer server;
  private static FarmTestClient farm;
  private final NetHttpTransport transport = new NetHttpTransport();

  @BeforeAll
  static void startServer() throws IOException {
    server = TestServer.start(dataDir);
    farm = server.client();
  }

  @AfterAll
  static void stopServer() throws IOException {
    server.close();
  }

  @ParameterizedTest(name = "chunk size {0}")
  @ValueSource(ints = {KIB_256, MIB})
  void resumableUploadOfAnOddSizeStoresEveryByte(int chunkSize) throws IOException {
    byte[] media = randomBytes(ODD_SIZE, chunkSize);
    JavaPeer peer = new JavaPeer(server.adminKey());

    JsonNode animal = upload(peer, known(media), chunkSize, metadata("Odd Ox"));

    assertStored(animal, media, "Odd Ox");
    // The metadata goes out gzip-encoded; chunks of a known length go out plain, with a
    // Content-Length, each naming the total.
    assertThat(peer.attempts()).containsExactlyElementsOf(
        concat(List.of("POST resumable gzip"), chunks(0, chunkSize, ODD_SIZE, false)));
  }

  @Test
  void resumableUploadOfAnExactMultipleOfTheChunkSizeEndsWithAFullChunk() throws IOException {
    byte[] media = randomBytes(2 * MIB, 7);
    JavaPeer peer = new JavaPeer(server.adminKey());

    JsonNode animal = upload(peer, known(media), MIB, metadata("Even Emu"));

    assertStored(animal, media, "Even Emu");
    // No empty final PUT (unlike the Python client): the length is known up front.
    assertThat(peer.attempts()).containsExactly(
        "POST resumable gzip",
        "PUT bytes 0-1048575/2097152",
        "PUT bytes 1048576-2097151/2097152");
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {ODD_SIZE, 3 * KIB_256})
  void resumableUploadOfUnknownLengthLearnsTheTotalAtTheLastChunk(int size) throws IOException {
    byte[] media = randomBytes(size, size);
    JavaPeer peer = new JavaPeer(server.adminKey());
    AbstractInputStreamContent content =
        new InputStreamContent("application/octet-stream", new ByteArrayInputStream(media))
            .setLength(-1);

    JsonNode animal = upload(peer, content, KIB_256, metadata("Unknown Urial"));

    assertStored(animal, media, "Unknown Urial");
    // Unknown length: every chunk goes out gzip-encoded (chunked, no Content-Length) with the
    // total "*", except the last, which names it. The peer reads one byte ahead to know which
    // chunk is the last, so an exact multiple of the chunk size needs no empty final PUT.
    assertThat(peer.attempts()).containsExactlyElementsOf(
        concat(List.of("POST resumable gzip"), chunks(0, KIB_256, size, true)));
  }

  @Test
  void directUploadWithoutMetadataIsASimpleUpload() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 11);
    JavaPeer peer = new JavaPeer(server.adminKey());

    JsonNode animal = directUpload(peer, known(media), null);

    assertStored(animal, media, null);
    assertThat(peer.attempts()).containsExactly("POST media gzip");
  }

  @Test
  void directUploadWithMetadataIsAMultipartUpload() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 13);
    JavaPeer peer = new JavaPeer(server.adminKey());

    JsonNode animal = directUpload(peer, known(media), metadata("Multi Moose"));

    assertStored(animal, media, "Multi Moose");
    assertThat(peer.attempts()).containsExactly("POST multipart gzip");
  }

  @Test
  void progressListenerSeesMonotonicProgressEndingInMediaComplete() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 17);
    JavaPeer peer = new JavaPeer(server.adminKey());
    List<UploadState> states = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    MediaHttpUploader uploader = new MediaHttpUploader(known(media), transport, peer)
        .setChunkSize(MIB)
        .setMetadata(metadata("Progress Pig"))
        .setProgressListener(u -> {
          states.add(u.getUploadState());
          bytes.add(u.getNumBytesUploaded());
        });

    JsonNode animal = json(uploader.upload(uploadUrl()));

    assertStored(animal, media, "Progress Pig");
    assertThat(states).containsExactly(
        UploadState.INITIATION_STARTED, UploadState.INITIATION_COMPLETE,
        UploadState.MEDIA_IN_PROGRESS, UploadState.MEDIA_IN_PROGRESS,
        UploadState.MEDIA_IN_PROGRESS, UploadState.MEDIA_COMPLETE);
    // The byte counts are the server's Range answers: each 308's end, then the total.
    assertThat(bytes).containsExactly(0L, 0L, 1L * MIB, 2L * MIB, 3L * MIB, (long) ODD_SIZE);
    assertThat(bytes).isSorted();
    assertThat(uploader.getProgress()).isEqualTo(1.0);
  }

  // ---- Faults, with the retry handlers the library offers

  @Test
  void serverErrorOnTheInitiationIsRetriedAsIs() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 19);
    String test = retryTest("return-503");
    JavaPeer peer = new JavaPeer(server.adminKey()).withRetries().withRetryTest(test, true);

    JsonNode animal = upload(peer, known(media), MIB, metadata("Retry Rhea"));

    assertStored(animal, media, "Retry Rhea");
    // The initiation is an ordinary request: HttpBackOffUnsuccessfulResponseHandler resends it.
    assertThat(peer.attempts()).containsExactlyElementsOf(concat(
        List.of("POST resumable gzip", "POST resumable gzip"), chunks(0, MIB, ODD_SIZE, false)));
    // The peer runs its unsuccessful-response handler on every 308 too (one per chunk but the
    // last), and the back-off handler declines those.
    assertRetriedAfter(peer, 3, "503");
  }

  @Test
  void serverErrorOnAChunkIsRetriedAsAStatusQueryThenTheChunkIsResent() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 20);
    String test = retryTest("return-503");
    JavaPeer peer = new JavaPeer(server.adminKey()).withRetries().withRetryTest(test, false);

    JsonNode animal = upload(peer, known(media), MIB, metadata("Status Stoat"));

    assertStored(animal, media, "Status Stoat");
    List<String> expected = new ArrayList<>(List.of(
        "POST resumable gzip",
        "PUT bytes 0-1048575/" + ODD_SIZE, // 503 before the body is read: nothing kept
        "PUT bytes */" + ODD_SIZE)); // the retry of the same request is a status query: 308, no Range
    expected.addAll(chunks(0, MIB, ODD_SIZE, false)); // so the peer resends from 0
    assertThat(peer.attempts()).containsExactlyElementsOf(expected);
    assertRetriedAfter(peer, 4, "503", "IOException"); // the 503, or the close that follows it
  }

  @Test
  void chunkCutShortByAServerErrorResumesFromTheRangeTheServerReports() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 23);
    String test = retryTest("return-503-after-256K");
    JavaPeer peer = new JavaPeer(server.adminKey()).withRetries().withRetryTest(test, false);

    JsonNode animal = upload(peer, known(media), MIB, metadata("Partial Puma"));

    assertStored(animal, media, "Partial Puma");
    List<String> expected = new ArrayList<>(List.of(
        "POST resumable gzip",
        "PUT bytes 0-1048575/" + ODD_SIZE, // the server keeps 256 KiB, then answers 503
        "PUT bytes */" + ODD_SIZE)); // 308 Range: bytes=0-262143
    expected.addAll(chunks(KIB_256, MIB, ODD_SIZE, false)); // rewinds the stream to 262144
    assertThat(peer.attempts()).containsExactlyElementsOf(expected);
    assertRetriedAfter(peer, 3, "503", "IOException");
  }

  @Test
  void unknownLengthChunkCutShortIsResentFromThePeersOwnBuffer() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 29);
    String test = retryTest("return-503-after-256K");
    JavaPeer peer = new JavaPeer(server.adminKey()).withRetries().withRetryTest(test, false);
    AbstractInputStreamContent content =
        new InputStreamContent("application/octet-stream", new ByteArrayInputStream(media))
            .setLength(-1);

    JsonNode animal = upload(peer, content, 2 * KIB_256, metadata("Buffered Bongo"));

    assertStored(animal, media, "Buffered Bongo");
    List<String> expected = new ArrayList<>(List.of(
        "POST resumable gzip",
        "PUT bytes 0-524287/* gzip", // the server keeps the first 256 KiB (decoded), then 503
        "PUT bytes */* gzip")); // the status query keeps the request's gzip: an encoded empty body
    expected.addAll(chunks(KIB_256, 2 * KIB_256, ODD_SIZE, true));
    assertThat(peer.attempts()).containsExactlyElementsOf(expected);
    assertRetriedAfter(peer, 6, "503", "IOException");
  }

  @Test
  void connectionResetOnAChunkIsRetriedThroughTheIOExceptionHandler() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 31);
    String test = retryTest("return-reset-connection");
    JavaPeer peer = new JavaPeer(server.adminKey()).withRetries().withRetryTest(test, false);

    JsonNode animal = upload(peer, known(media), MIB, metadata("Reset Reindeer"));

    assertStored(animal, media, "Reset Reindeer");
    List<String> expected = new ArrayList<>(List.of(
        "POST resumable gzip",
        "PUT bytes 0-1048575/" + ODD_SIZE, // RST before the server read anything
        "PUT bytes */" + ODD_SIZE)); // HttpBackOffIOExceptionHandler: a status query
    expected.addAll(chunks(0, MIB, ODD_SIZE, false));
    assertThat(peer.attempts()).containsExactlyElementsOf(expected);
    assertRetriedAfter(peer, 4, "IOException");
  }

  @Test
  void withoutRetryHandlersAServerErrorOnAChunkEndsTheUploadAndTheSessionSurvives()
      throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 37);
    String test = retryTest("return-503");
    JavaPeer peer = new JavaPeer(server.adminKey()).withRetryTest(test, false);
    MediaHttpUploader uploader = new MediaHttpUploader(known(media), transport, peer)
        .setChunkSize(MIB)
        .setMetadata(metadata("Fragile Ferret"));

    // The server answers 503 without reading the chunk, then closes the connection (and says
    // so). HttpURLConnection writes the whole chunk before it reads: usually it then reads the
    // 503, which upload() hands back as its result (no exception; the request's default of 10
    // retries never applies without a handler); when the close beats its write, it fails with
    // "Error writing request body to server". Either way the peer stops.
    try {
      HttpResponse response = uploader.upload(uploadUrl());
      try {
        assertThat(response.getStatusCode()).isEqualTo(503);
      } finally {
        response.disconnect();
      }
    } catch (IOException closedWhileWriting) {
      assertThat(closedWhileWriting).hasMessageContaining("request body");
    }
    assertThat(peer.attempts()).containsExactly(
        "POST resumable gzip", "PUT bytes 0-1048575/" + ODD_SIZE);
    // The session survives, empty: an application can resume it from the server's offset.
    String session = FarmTestClient.target(peer.sessionUri());
    RawHttp.Response status = farm.query(session, ODD_SIZE);
    assertThat(status.status()).isEqualTo(308);
    assertThat(status.header("Range")).isNull();
    assertStored(finish(session, media, 0), media, "Fragile Ferret");
  }

  @Test
  void withoutRetryHandlersAConnectionResetFailsTheUpload() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 41);
    String test = retryTest("return-reset-connection");
    JavaPeer peer = new JavaPeer(server.adminKey()).withRetryTest(test, false);
    MediaHttpUploader uploader = new MediaHttpUploader(known(media), transport, peer)
        .setChunkSize(MIB)
        .setMetadata(metadata("Brittle Bat"));

    // A reset is an IOException, and without an IOException handler the peer gives up.
    assertThatThrownBy(() -> uploader.upload(uploadUrl())).isInstanceOf(IOException.class);
    assertThat(peer.attempts()).containsExactly(
        "POST resumable gzip", "PUT bytes 0-1048575/" + ODD_SIZE);
    String session = FarmTestClient.target(peer.sessionUri());
    assertThat(farm.query(session, ODD_SIZE).header("Range")).isNull();
    assertStored(finish(session, media, 0), media, "Brittle Bat");
  }

  @Test
  void lostFinalResponseIsNotRecoveredByThePeerButTheAnimalExistsOnce() throws IOException {
    byte[] media = randomBytes(ODD_SIZE, 43);
    String test = retryTest("return-broken-stream-final-chunk-after-10B");
    JavaPeer peer = new JavaPeer(server.adminKey()).withRetries().withRetryTest(test, false);
    MediaHttpUploader uploader = new MediaHttpUploader(known(media), transport, peer)
        .setChunkSize(MIB)
        .setMetadata(metadata("Lost Llama"));

    HttpResponse response = uploader.upload(uploadUrl());

    // The 200's headers arrived, so the peer reports MEDIA_COMPLETE and returns the response;
    // only reading its body fails, and nothing in the peer retries that.
    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(uploader.getUploadState()).isEqualTo(UploadState.MEDIA_COMPLETE);
    assertThatThrownBy(response::parseAsString).isInstanceOf(IOException.class);
    response.disconnect();
    assertThat(peer.attempts()).containsExactlyElementsOf(
        concat(List.of("POST resumable gzip"), chunks(0, MIB, ODD_SIZE, false)));
    // Asking the session again (what a careful application does) gives the one animal.
    String session = FarmTestClient.target(peer.sessionUri());
    JsonNode animal = FarmTestClient.ok(farm.query(session, ODD_SIZE));
    assertStored(animal, media, "Lost Llama");
    assertThat(FarmTestClient.ok(farm.query(session, ODD_SIZE)).path("id"))
        .isEqualTo(animal.path("id"));
    assertThat(animalsNamed("Lost Llama")).isEqualTo(1);
  }

  // ---- helpers

  /** Completes a session from {@code from} in 1 MiB chunks, as an application would. */
  private static JsonNode finish(String session, byte[] media, int from) throws IOException {
    RawHttp.Response last = null;
    for (int first = from; first < media.length; first += MIB) {
      int end = Math.min(media.length, first + MIB);
      last = farm.putChunk(session, first, Arrays.copyOfRange(media, first, end), media.length);
    }
    return FarmTestClient.ok(last);
  }

  /** The PUTs of chunks from {@code from} to the end, as {@link JavaPeer} describes them. */
  private static List<String> chunks(long from, int chunkSize, long total, boolean unknown) {
    List<String> out = new ArrayList<>();
    for (long first = from; first < total; first += chunkSize) {
      long last = Math.min(first + chunkSize, total) - 1;
      boolean final_ = last == total - 1;
      out.add("PUT bytes " + first + "-" + last + "/"
          + (unknown && !final_ ? "*" : Long.toString(total)) + (unknown ? " gzip" : ""));
    }
    return out;
  }

  /**
   * The retry handlers saw one failure, one of {@code firstAnyOf}, then only 308s (
   * {@code redirects} of them: the peer hands every 308 to its unsuccessful-response handler).
   */
  private static void assertRetriedAfter(JavaPeer peer, int redirects, String... firstAnyOf) {
    List<String> failures = peer.failures();
    assertThat(failures).hasSize(1 + redirects);
    assertThat(failures.get(0)).isIn((Object[]) firstAnyOf);
    assertThat(failures.subList(1, failures.size())).containsOnly("308");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String retryTest(String... instructions) throws IOException {
    SharedCluster.assumeOneProcess(SharedCluster.RETRY_TESTS);
    String body = JSON.createObjectNode().set("instructions", JSON.createObjectNode()
        .set("farm.animals.insert", JSON.valueToTree(instructions))).toString();
    return FarmTestClient.ok(farm.request("POST", "/retry_test").json(body).send())
        .path("id").asText();
  }

  private static long animalsNamed(String name) throws IOException {
    long count = 0;
    String page = null;
    do {
      JsonNode list = FarmTestClient.ok(farm.request("GET", "/farm/v1/animals?maxResults=100"
          + (page == null ? "" : "&pageToken=" + page)).send());
      for (JsonNode a : list.path("items")) {
        count += name.equals(a.path("name").asText()) ? 1 : 0;
      }
      page = list.hasNonNull("nextPageToken") ? list.path("nextPageToken").asText() : null;
    } while (page != null);
    return count;
  }

  private JsonNode upload(JavaPeer peer, AbstractInputStreamContent content, int chunkSize,
      HttpContent metadata) throws IOException {
    MediaHttpUploader uploader = new MediaHttpUploader(content, transport, peer)
        .setChunkSize(chunkSize)
        .setMetadata(metadata);
    return json(uploader.upload(uploadUrl()));
  }

  private JsonNode directUpload(JavaPeer peer, AbstractInputStreamContent content,
      HttpContent metadata) throws IOException {
    MediaHttpUploader uploader = new MediaHttpUploader(content, transport, peer)
        .setDirectUploadEnabled(true)
        .setMetadata(metadata);
    return json(uploader.upload(uploadUrl()));
  }

  private GenericUrl uploadUrl() {
    return new GenericUrl(server.uri() + "upload/farm/v1/animals");
  }

  private static AbstractInputStreamContent known(byte[] media) {
    return new ByteArrayContent("application/octet-stream", media);
  }

  private static HttpContent metadata(String name) {
    return new JsonHttpContent(GsonFactory.getDefaultInstance(), Map.of("name", name));
  }

  private static JsonNode json(HttpResponse response) throws IOException {
    try {
      assertThat(response.getStatusCode()).as("final status").isEqualTo(200);
      return JSON.readTree(response.parseAsString());
    } finally {
      response.disconnect();
    }
  }

  /** The server stored exactly {@code media} for the animal, under {@code name}. */
  private void assertStored(JsonNode animal, byte[] media, String name) throws IOException {
    String id = animal.path("id").asText();
    assertThat(id).isNotEmpty();
    assertThat(animal.path("mediaSize").asText()).isEqualTo(Long.toString(media.length));
    assertThat(sha256(farm.download(id))).isEqualTo(sha256(media));
    JsonNode stored = FarmTestClient.ok(farm.get(id));
    if (name == null) {
      assertThat(stored.has("name")).as("no name: " + stored).isFalse();
    } else {
      assertThat(stored.path("name").asText()).isEqualTo(name);
    }
  }
}
