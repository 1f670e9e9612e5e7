package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Revoked and expired keys, as clients meet them: refused within 5 seconds with exactly the
 * answer an unknown key gets, and an upload whose key is revoked mid-way keeps its chunk in
 * flight and every acknowledged byte, and takes no further chunk on that key's authority.
 */
class KeyRevocationTest {
  private static final Duration PROMISE = Duration.ofSeconds(5);

  /** The chunk in flight waits for a revocation to be seen (up to 5 s): a body may pause that long. */
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.bodyTimeout(Duration.ofSeconds(15)));

  String farm;
  ApiKeys.NewKey leaked;
  FarmTestClient client;

  @BeforeEach
  void keys() throws Exception {
    farm = TestServer.newFarmName();
    leaked = server.createKey(farm, ApiKeys.Options.DEFAULT);
    client = FarmTestClient.of(server.uri(), leaked.secret());
  }

  /** Revokes the key while the server runs, and waits (at most 5 s) until it is refused. */
  private Duration revokeAndAwaitRefusal(ApiKeys.NewKey key) throws Exception {
    FarmTestClient user = client.withKey(key.secret());
    assertThat(user.request("GET", "/farm/v1/animals").send().status()).isEqualTo(200); // cached
    long start = System.nanoTime();
    server.revokeKey(key.key().id());
    await().atMost(PROMISE).pollInterval(Duration.ofMillis(50))
        .until(() -> user.request("GET", "/farm/v1/animals").send().status() == 401);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void revokedAndExpiredKeysGetExactlyTheAnswerOfAnUnknownKey() throws Exception {
    ApiKeys.NewKey expired = server.createKey(farm,
        ApiKeys.Options.DEFAULT.withLifetime(Duration.ofMinutes(1)),
        Instant.now().minus(Duration.ofMinutes(2)));
    RawHttp.Response unknown = client.withKey("farm_" + "u".repeat(43))
        .request("GET", "/farm/v1/animals").send();
    assertError(unknown, 401, "unauthorized");

    Duration took = revokeAndAwaitRefusal(leaked);

    assertThat(took).isLessThan(PROMISE);
    for (ApiKeys.NewKey key : new ApiKeys.NewKey[] {leaked, expired}) {
      for (RawHttp.Request r : new RawHttp.Request[] {
          client.withKey(key.secret()).request("GET", "/farm/v1/animals"),
          client.anonymous("GET", "/farm/v1/animals?key=" + key.secret()),
          client.withKey(key.secret()).request("GET", "/farm/v1/whoami"),
          client.withKey(key.secret()).request("POST", "/upload/farm/v1/animals?uploadType=media")
              .header("Content-Type", "image/png").body(new byte[10])}) {
        RawHttp.Response answer = r.send();
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.text()).isEqualTo(unknown.text());
        assertThat(answer.header("WWW-Authenticate")).isEqualTo(unknown.header("WWW-Authenticate"));
      }
    }
    FarmTestClient other = FarmTestClient.of(server.uri(),
        server.createKey(farm, ApiKeys.Options.DEFAULT).secret());
    assertThat(other.listIds()).isEmpty(); // nothing was made by the refused requests
  }

  /**
   * The key that started a session is revoked while a chunk is on its way: that chunk ends as
   * it would have (308, its bytes kept); the next chunk, a new request, is refused whether it
   * carries the key or none (as Google's clients send chunks); a valid key of the same farm
   * finds every acknowledged byte and finishes the upload, checked by hash.
   */
  @Test
  void revokingMidUploadLetsTheChunkInFlightEndAndRefusesTheNext() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256 + 1000, 64);
    String session = client.initiate("{\"name\":\"Goat\"}", "image/png", media.length);
    assertThat(client.putChunk(session, 0, slice(media, 0, K256), media.length).status())
        .isEqualTo(308);

    long received = receivedBytes();
    RawHttp.Response inFlight = client.anonymous("PUT", session)
        .header("Content-Range", "bytes " + K256 + "-" + (2 * K256 - 1) + "/" + media.length)
        .body(slice(media, K256, 2 * K256))
        .sendInTwoParts(K256 / 2, () -> {
          // The server reads this body, so it let the request in: now revoke. (It writes a
          // body a 64 KiB window at a time: the first window is in when it counts one.)
          await().atMost(PROMISE).until(() -> receivedBytes() >= received + K256 / 4);
          revokeAndAwaitRefusal(leaked);
        });

    assertThat(inFlight.status()).as("the chunk in flight: %s", inFlight).isEqualTo(308);
    assertThat(inFlight.header("Range")).isEqualTo("bytes=0-" + (2 * K256 - 1));
    byte[] next = slice(media, 2 * K256, media.length);
    RawHttp.Response anonymous = client.putChunk(session, 2 * K256, next, media.length);
    JsonNode error = assertError(anonymous, 401, "unauthorized");
    assertThat(error.get("message").asText()).contains(leaked.key().id(), "revoked")
        .doesNotContain(leaked.secret());
    assertError(client.request("PUT", session)
        .header("Content-Range", "bytes " + 2 * K256 + "-" + (media.length - 1) + "/" + media.length)
        .body(next).send(), 401, "unauthorized");
    assertError(client.query(session, media.length), 401, "unauthorized");
    assertError(client.anonymous("DELETE", session).send(), 401, "unauthorized");

    FarmTestClient owner = client.withKey(
        server.createKey(farm, ApiKeys.Options.DEFAULT).secret());
    RawHttp.Response status = owner.request("PUT", session)
        .header("Content-Range", "bytes */" + media.length).body(new byte[0]).send();
    assertThat(status.status()).isEqualTo(308);
    assertThat(status.header("Range")).isEqualTo("bytes=0-" + (2 * K256 - 1));
    JsonNode goat = FarmTestClient.ok(owner.request("PUT", session)
        .header("Content-Range", "bytes " + 2 * K256 + "-" + (media.length - 1) + "/" + media.length)
        .body(next).send());
    assertStored(owner, goat, media);
    assertThat(goat.get("name").asText()).isEqualTo("Goat");
  }

  /** Media bytes the server has read from request bodies, from /metrics. */
  private static long receivedBytes() throws Exception {
    String metrics = RawHttp.request(server.uri(), "GET", "/metrics").send().text();
    Matcher m = Pattern.compile("(?m)^farm_upload_received_bytes_total (\\S+)$").matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void anotherFarmsValidKeyCannotAdoptASessionWhoseKeyIsRevoked() throws Exception {
    byte[] media = FarmTestClient.randomBytes(K256 + 10, 65);
    String session = client.initiate(null, "image/png", media.length);
    revokeAndAwaitRefusal(leaked);
    FarmTestClient stranger = server.clientOfNewFarm();

    assertError(stranger.request("PUT", session).header("Content-Range", "bytes */" + media.length)
        .body(new byte[0]).send(), 404, "notFound");
    assertThat(stranger.listIds()).isEmpty();
  }
}
