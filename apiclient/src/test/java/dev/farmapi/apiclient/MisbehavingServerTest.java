package dev.farmapi.apiclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.media.MediaStreamUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.ByteArrayInputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Peers that misbehave in ways the Farm server never does, scripted with MockWebServer: the
 * assertions are on what the client sent them (methods, targets, Content-Range, bodies).
 */
class MisbehavingServerTest {
  static final int CHUNK = 262144;
  static final int SIZE = 3 * CHUNK + 1000;
  static final byte[] bytes = LiveServer.randomBytes(SIZE, 5);

  MockWebServer peer;
  final Script script = new Script();
  final List<RecordedRequest> recorded = new ArrayList<>(); // taken from the peer so far
  ApiClient client;

  /**
   * MockWebServer's queue, except for one thing: a response that cuts the connection during the
   * request body is never dispatched (the request fails first), so it would stay at the head of
   * a plain queue and answer the next request instead. Here it is dropped once it has done its
   * job. When the script runs out, the answer is a 418, which no client retries.
   */
  static final class Script extends Dispatcher {
    private final BlockingDeque<MockResponse> responses = new LinkedBlockingDeque<>();

    void add(MockResponse response) {
      responses.add(response);
    }

    @Override
    public MockResponse peek() {
      MockResponse head = responses.peekFirst();
      return head != null ? head : exhausted();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      MockResponse head = responses.peekFirst();
      if (head != null && head.getOnRequestBody() != null && request.getFailure() == null) {
        responses.pollFirst(); // it cut an earlier request short; this one gets the next
      }
      MockResponse next = responses.pollFirst();
      return next != null ? next : exhausted();
    }

    private static MockResponse exhausted() {
      return new MockResponse.Builder().code(418).body("the script has no more responses").build();
    }
  }

  @BeforeEach
  void start() throws Exception {
    peer = new MockWebServer();
    peer.setDispatcher(script);
    peer.start();
    client = ApiClient.builder()
        .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(5), Duration.ofMillis(20)))
        .idleTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    peer.close();
  }

  static MediaUpload seekable() {
    return MediaInMemoryUpload.of(bytes, "image/png").withChunkSize(CHUNK).resumable();
  }

  static MediaUpload stream() {
    return MediaStreamUpload.of(new ByteArrayInputStream(bytes), "image/png")
        .withChunkSize(CHUNK).resumable();
  }

  HttpRequest<JsonNode> upload(MediaUpload media) throws ResumableUploadError {
    return client.request("POST", URI.create(peer.url("/animals").toString()))
        .body(Map.of("name", "pig"))
        .media(media, URI.create(peer.url("/upload/animals").toString())).build();
  }

  String session(String id) {
    return peer.url("/upload/animals?uploadType=resumable&upload_id=" + id).toString();
  }

  void initiated(String id) {
    script.add(new MockResponse.Builder().code(200).addHeader("Location", session(id)).build());
  }

  void incomplete(long acknowledged) {
    MockResponse.Builder b = new MockResponse.Builder().code(308);
    if (acknowledged > 0) {
      b.addHeader("Range", "bytes=0-" + (acknowledged - 1));
    }
    script.add(b.build());
  }

  void complete(String json) {
    script.add(new MockResponse.Builder().code(200)
        .addHeader("Content-Type", "application/json").body(json).build());
  }

  /** Every request the peer got: "METHOD target [Content-Range]". */
  List<String> requests() throws InterruptedException {
    List<String> lines = new ArrayList<>();
    for (RecordedRequest r : recorded()) {
      String range = r.getHeaders().get("Content-Range");
      lines.add(r.getMethod() + " " + r.getTarget().replaceFirst(".*upload_id=", "session ")
          + (range == null ? "" : " [" + range + "]"));
    }
    return lines;
  }

  List<RecordedRequest> recorded() throws InterruptedException {
    RecordedRequest r;
    while ((r = peer.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
      recorded.add(r);
    }
    return recorded;
  }

  /** The chunk bodies the peer received are the source's bytes at the ranges they name. */
  void assertChunkBodiesMatchTheirRanges() throws InterruptedException {
    for (RecordedRequest r : recorded()) {
      String range = r.getHeaders().get("Content-Range");
      if (range == null || range.startsWith("bytes */") || r.getFailure() != null) {
        continue;
      }
      String[] firstLast = range.substring(6, range.indexOf('/')).split("-");
      int first = Integer.parseInt(firstLast[0]);
      int last = Integer.parseInt(firstLast[1]);
      assertThat(r.getBody().toByteArray()).as(range)
          .isEqualTo(Arrays.copyOfRange(bytes, first, last + 1));
    }
  }

  static String md5(byte[] b) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(b));
  }

  static String crc32c(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b);
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** The final answer of an upload whose server reports these checksums. */
  static String completion(String md5Hash, String crc32c) {
    return "{\"id\":\"a1\",\"md5Hash\":\"" + md5Hash + "\",\"crc32c\":\"" + crc32c + "\"}";
  }

  @Test
  void disconnectDuringAChunkBodyIsFollowedByAStatusQueryAndAResendFromTheServersOffset()
      throws Exception {
    initiated("s1");
    script.add(new MockResponse.Builder().onRequestBody(new SocketEffect.CloseSocket())
        .build());
    incomplete(131072); // what the peer says it kept of the broken chunk
    incomplete(131072 + CHUNK);
    incomplete(131072 + 2 * CHUNK);
    complete(completion(md5(bytes), crc32c(bytes)));

    JsonNode animal = upload(seekable()).execute();

    assertThat(animal.get("id").asText()).isEqualTo("a1");
    assertThat(requests()).containsExactly(
        "POST /upload/animals?uploadType=resumable",
        "PUT session s1 [bytes 0-262143/787432]",
        "PUT session s1 [bytes */787432]",
        "PUT session s1 [bytes 131072-393215/787432]",
        "PUT session s1 [bytes 393216-655359/787432]",
        "PUT session s1 [bytes 655360-787431/787432]");
    assertChunkBodiesMatchTheirRanges();
  }

  @Test
  void partialAcknowledgementIsFollowedByExactlyTheMissingBytes() throws Exception {
    initiated("s1");
    incomplete(100_000); // of 262144 sent
    incomplete(100_000 + CHUNK);
    incomplete(100_000 + 2 * CHUNK);
    complete("{\"id\":\"a1\"}");

    upload(seekable()).execute();

    assertThat(requests()).containsExactly(
        "POST /upload/animals?uploadType=resumable",
        "PUT session s1 [bytes 0-262143/787432]",
        "PUT session s1 [bytes 100000-362143/787432]",
        "PUT session s1 [bytes 362144-624287/787432]",
        "PUT session s1 [bytes 624288-787431/787432]");
    assertChunkBodiesMatchTheirRanges();
  }

  @Test
  void partialAcknowledgementOfAStreamIsResentFromTheChunkItHolds() throws Exception {
    initiated("s1");
    incomplete(100_000);
    incomplete(100_000 + CHUNK);
    incomplete(100_000 + 2 * CHUNK);
    complete(completion(md5(bytes), crc32c(bytes)));

    upload(stream()).execute();

    assertThat(requests()).containsExactly(
        "POST /upload/animals?uploadType=resumable",
        "PUT session s1 [bytes 0-262143/*]",
        "PUT session s1 [bytes 100000-362143/*]",
        "PUT session s1 [bytes 362144-624287/*]",
        "PUT session s1 [bytes 624288-787431/787432]");
    assertChunkBodiesMatchTheirRanges();
  }

  @Test
  void a308WithoutRangeMeansNothingWasKeptAndTheChunkIsSentAgain() throws Exception {
    initiated("s1");
    incomplete(0);
    incomplete(CHUNK);
    incomplete(2 * CHUNK);
    incomplete(3 * CHUNK);
    complete("{\"id\":\"a1\"}");

    upload(seekable()).execute();

    assertThat(requests()).containsExactly(
        "POST /upload/animals?uploadType=resumable",
        "PUT session s1 [bytes 0-262143/787432]",
        "PUT session s1 [bytes 0-262143/787432]",
        "PUT session s1 [bytes 262144-524287/787432]",
        "PUT session s1 [bytes 524288-786431/787432]",
        "PUT session s1 [bytes 786432-787431/787432]");
    assertChunkBodiesMatchTheirRanges();
  }

  @Test
  void streamAskedForBytesItNoLongerHoldsFailsClearly() throws Exception {
    initiated("s1");
    incomplete(CHUNK);
    incomplete(100); // the peer lost what it had acknowledged

    ResumableUploadError e = catchThrowableOfType(ResumableUploadError.class,
        () -> upload(stream()).execute());

    assertThat(e.getMessage()).contains("needs the stream from byte 100");
    assertThat(requests()).hasSize(3);
  }

  @Test
  void locationOnA308MovesTheSession() throws Exception {
    initiated("s1");
    script.add(new MockResponse.Builder().code(308).addHeader("Range", "bytes=0-262143")
        .addHeader("Location", session("s2")).build());
    incomplete(2 * CHUNK);
    incomplete(3 * CHUNK);
    complete("{\"id\":\"a1\"}");

    upload(seekable()).execute();

    assertThat(requests()).containsExactly(
        "POST /upload/animals?uploadType=resumable",
        "PUT session s1 [bytes 0-262143/787432]",
        "PUT session s2 [bytes 262144-524287/787432]",
        "PUT session s2 [bytes 524288-786431/787432]",
        "PUT session s2 [bytes 786432-787431/787432]");
  }

  @Test
  void sessionGoneOnAChunkStartsANewSessionAndSendsEverythingAgain() throws Exception {
    for (int gone : new int[] {404, 410}) {
      recorded.clear();
      initiated("s1");
      incomplete(CHUNK);
      script.add(new MockResponse.Builder().code(gone).body("{}").build());
      initiated("s2");
      incomplete(CHUNK);
      incomplete(2 * CHUNK);
      incomplete(3 * CHUNK);
      complete(completion(md5(bytes), crc32c(bytes)));

      upload(seekable()).execute();

      assertThat(requests()).as("after " + gone).containsExactly(
          "POST /upload/animals?uploadType=resumable",
          "PUT session s1 [bytes 0-262143/787432]",
          "PUT session s1 [bytes 262144-524287/787432]",
          "POST /upload/animals?uploadType=resumable",
          "PUT session s2 [bytes 0-262143/787432]",
          "PUT session s2 [bytes 262144-524287/787432]",
          "PUT session s2 [bytes 524288-786431/787432]",
          "PUT session s2 [bytes 786432-787431/787432]");
      assertChunkBodiesMatchTheirRanges();
    }
  }

  @Test
  void sessionGoneAfterAStreamMovedPastItsStartIsAClearError() throws Exception {
    initiated("s1");
    incomplete(CHUNK);
    script.add(new MockResponse.Builder().code(404).body("{}").build());

    ResumableUploadError e = catchThrowableOfType(ResumableUploadError.class,
        () -> upload(stream()).execute());

    assertThat(e.statusCode()).isEqualTo(404);
    assertThat(e.getMessage()).contains("the stream cannot be read again from its start");
    assertThat(requests()).hasSize(3);
  }

  @Test
  void serverAcknowledgingMoreThanWasSentIsAnErrorNotRetried() throws Exception {
    initiated("s1");
    incomplete(CHUNK + 1);

    ResumableUploadError e = catchThrowableOfType(ResumableUploadError.class,
        () -> upload(seekable()).execute());

    assertThat(e.getMessage()).contains("acknowledges 262145 bytes but only 262144 were sent");
    assertThat(requests()).containsExactly(
        "POST /upload/animals?uploadType=resumable",
        "PUT session s1 [bytes 0-262143/787432]");
  }

  @Test
  void completionWhoseCrc32cDiffersIsAChecksumMismatchNotRetried() throws Exception {
    String wrong = crc32c(new byte[] {1});
    initiated("s1");
    incomplete(CHUNK);
    incomplete(2 * CHUNK);
    incomplete(3 * CHUNK);
    complete(completion(md5(bytes), wrong));

    ChecksumMismatchError e = catchThrowableOfType(ChecksumMismatchError.class,
        () -> upload(seekable()).execute());

    assertThat(e.algorithm()).isEqualTo("crc32c");
    assertThat(e.expected()).isEqualTo(crc32c(bytes));
    assertThat(e.actual()).isEqualTo(wrong);
    assertThat(requests()).hasSize(5);
  }

  @Test
  void completionWhoseMd5DiffersIsAChecksumMismatchWhenTheClientVerifiesMd5() throws Exception {
    client = ApiClient.builder().verifyMd5(true).build();
    String wrong = md5(new byte[] {1});
    initiated("s1");
    incomplete(CHUNK);
    incomplete(2 * CHUNK);
    incomplete(3 * CHUNK);
    complete(completion(wrong, crc32c(bytes)));

    ChecksumMismatchError e = catchThrowableOfType(ChecksumMismatchError.class,
        () -> upload(seekable()).execute());

    assertThat(e.algorithm()).isEqualTo("md5");
    assertThat(e.expected()).isEqualTo(md5(bytes));
    assertThat(e.actual()).isEqualTo(wrong);
    assertThat(requests()).hasSize(5);
  }

  @Test
  void completionWhoseMd5DiffersButCrc32cMatchesIsAcceptedByDefault() throws Exception {
    initiated("s1");
    incomplete(CHUNK);
    incomplete(2 * CHUNK);
    incomplete(3 * CHUNK);
    complete(completion(md5(new byte[] {1}), crc32c(bytes)));

    JsonNode animal = upload(seekable()).execute();

    assertThat(animal.get("id").asText()).isEqualTo("a1");
    assertThat(requests()).hasSize(5);
    assertChunkBodiesMatchTheirRanges();
  }

  @Test
  void simpleUploadWhoseCrc32cDiffersIsAChecksumMismatchNotRetried() throws Exception {
    complete("{\"id\":\"a1\",\"md5Hash\":\"" + md5(bytes) + "\",\"crc32c\":\"AAAAAA==\"}");

    ChecksumMismatchError e = catchThrowableOfType(ChecksumMismatchError.class,
        () -> client.request("POST", URI.create(peer.url("/animals").toString()))
            .media(MediaInMemoryUpload.of(bytes, "image/png"),
                URI.create(peer.url("/upload/animals").toString()))
            .build().execute());

    assertThat(e.algorithm()).isEqualTo("crc32c");
    assertThat(e.actual()).isEqualTo("AAAAAA==");
    assertThat(requests()).containsExactly("POST /upload/animals?uploadType=media");
  }

  @Test
  void malformedRangeIsFollowedByAStatusQuery() throws Exception {
    initiated("s1");
    script.add(new MockResponse.Builder().code(308).addHeader("Range", "bytes=abc").build());
    incomplete(CHUNK);
    incomplete(2 * CHUNK);
    incomplete(3 * CHUNK);
    complete("{\"id\":\"a1\"}");

    upload(seekable()).execute();

    assertThat(requests()).containsExactly(
        "POST /upload/animals?uploadType=resumable",
        "PUT session s1 [bytes 0-262143/787432]",
        "PUT session s1 [bytes */787432]",
        "PUT session s1 [bytes 262144-524287/787432]",
        "PUT session s1 [bytes 524288-786431/787432]",
        "PUT session s1 [bytes 786432-787431/787432]");
  }

  @Test
  void rangeThatStaysMalformedFailsNamingTheHeader() throws Exception {
    initiated("s1");
    for (int i = 0; i < 3; i++) {
      script.add(new MockResponse.Builder().code(308).addHeader("Range", "bytes=5-9").build());
    }

    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> upload(seekable()).execute(2));

    assertThat(e.getMessage()).contains("malformed Range header: bytes=5-9");
    assertThat(requests()).hasSize(4);
  }

  @Test
  void finalChunkAnsweredWith308IsFinalizedByAStatusQuery() throws Exception {
    MediaUpload oneChunk = MediaInMemoryUpload.of(bytes, "image/png").withChunkSize(-1)
        .resumable();
    initiated("s1");
    incomplete(SIZE);
    complete(completion(md5(bytes), crc32c(bytes)));

    upload(oneChunk).execute();

    assertThat(requests()).containsExactly(
        "POST /upload/animals?uploadType=resumable",
        "PUT session s1 [bytes 0-787431/787432]",
        "PUT session s1 [bytes */787432]");
  }

  @Test
  void rateLimit403IsRetriedAndOther403IsNot() throws Exception {
    String rateLimited = "{\"error\":{\"code\":403,\"message\":\"slow down\","
        + "\"errors\":[{\"reason\":\"rateLimitExceeded\"}]}}";
    String forbidden = "{\"error\":{\"code\":403,\"message\":\"no pigs here\","
        + "\"errors\":[{\"reason\":\"forbidden\"}]}}";
    script.add(new MockResponse.Builder().code(403).body(rateLimited).build());
    complete("{\"id\":\"a1\"}");
    script.add(new MockResponse.Builder().code(403).body(forbidden).build());
    script.add(new MockResponse.Builder().code(403).body(forbidden).build());
    HttpRequest<JsonNode> simple = client.request("POST", URI.create(peer.url("/a").toString()))
        .media(MediaInMemoryUpload.of(bytes, "image/png"), URI.create(peer.url("/u").toString()))
        .build();

    assertThat(simple.execute().get("id").asText()).isEqualTo("a1");
    HttpError e = catchThrowableOfType(HttpError.class, simple::execute);

    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.reason()).isEqualTo("forbidden");
    assertThat(e.getMessage()).contains("no pigs here");
    assertThat(requests()).hasSize(3);
  }
}
