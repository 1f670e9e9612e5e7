package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ReliabilityReport;
import dev.farmapi.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upload id is the whole capability of a session (chunks carry no key), so it must not be
 * guessable. Ids are 24 bytes of {@code SecureRandom} in URL-safe base64 (see
 * {@code Ids.uploadId}): 192 bits, 32 characters. No test can prove unguessability; this one
 * shows that ids near a real one (one character changed, cut short, one longer, case flipped,
 * neighbours swapped) and random ones all miss, answer exactly like an id that never existed,
 * and leave the real session untouched.
 */
class UploadIdGuessingTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  /**
   * Guesses sent: every neighbour of the real id, then random ids. 2,500 keeps CI fast;
   * {@code -Dfarm.guesses=100000} for the long run (about 4 minutes on a loaded 2-core box).
   */
  static final int GUESSES = Integer.getInteger("farm.guesses", 2_500);
  static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void guessedAndNeighbouringUploadIdsAllMissAndAnswerLikeAnUnknownId() throws Exception {
    FarmTestClient alice = server.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(1000, 301);
    String session = alice.initiate("{\"name\":\"Target\"}", "image/png", media.length);
    String realId = session.replaceAll(".*upload_id=([^&]*).*", "$1");
    assertThat(realId).hasSize(32).matches("[A-Za-z0-9_-]+");

    List<String> guesses = new ArrayList<>(neighbours(realId));
    int neighbourCount = guesses.size();
    Random random = new Random(302);
    while (guesses.size() < GUESSES) {
      guesses.add(randomId(random, 32));
    }

    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    Set<String> bodies = ConcurrentHashMap.newKeySet();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Semaphore inFlight = new Semaphore(8);
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (String guess : guesses) {
      inFlight.acquire();
      // The most a stranger has: no key at all, only the URI.
      HttpRequest query = HttpRequest.newBuilder(server.uri().resolve(
              "/upload/farm/v1/animals?uploadType=resumable&upload_id=" + guess))
          .header("Content-Range", "bytes */" + media.length)
          .PUT(HttpRequest.BodyPublishers.noBody()).build();
      all.add(http.sendAsync(query, HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, failure) -> {
            inFlight.release();
            String outcome = failure != null ? failure.toString() : Integer.toString(r.statusCode());
            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            if (failure == null) {
              bodies.add(normalized(r.body(), guess));
            }
          }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();

    assertThat(outcomes.keySet()).containsExactly("404");
    assertThat(outcomes.get("404").get()).isEqualTo(guesses.size());
    // Every miss says the same, and what an id that never existed says.
    assertThat(bodies).containsExactly(normalized(alice.anonymous("PUT",
        "/upload/farm/v1/animals?uploadType=resumable&upload_id=" + "A".repeat(32))
        .header("Content-Range", "bytes */1000").body(new byte[0]).send().text(), "A".repeat(32)));

    // The real session was not touched by any of it.
    assertThat(alice.query(session, media.length).status()).isEqualTo(308);
    JsonNode done = FarmTestClient.ok(alice.putChunk(session, 0, media, media.length));
    assertStored(alice, done, media);

    ReliabilityReport report = new ReliabilityReport("UploadIdGuessingTest");
    report.add("idEntropyBits", 192);
    report.add("neighboursOfARealId", neighbourCount);
    report.add("randomIds", guesses.size() - neighbourCount);
    report.add("answered404LikeANeverIssuedId", outcomes.get("404").get());
    report.write();
  }

  /** Ids one step from {@code id}: each change a guesser who saw part of it might try. */
  static Set<String> neighbours(String id) {
    Set<String> near = new LinkedHashSet<>();
    for (int i = 0; i < id.length(); i++) {
      for (char c : ALPHABET.toCharArray()) {
        near.add(id.substring(0, i) + c + id.substring(i + 1)); // one character changed
      }
      char flipped = Character.isUpperCase(id.charAt(i)) ? Character.toLowerCase(id.charAt(i))
          : Character.toUpperCase(id.charAt(i));
      near.add(id.substring(0, i) + flipped + id.substring(i + 1)); // case flipped
      near.add(id.substring(0, i)); // truncated
      near.add(id.substring(0, i) + id.substring(i + 1)); // one character dropped
      if (i + 1 < id.length()) { // neighbours swapped
        near.add(id.substring(0, i) + id.charAt(i + 1) + id.charAt(i) + id.substring(i + 2));
      }
    }
    for (char c : ALPHABET.toCharArray()) {
      near.add(id + c); // one longer
      near.add(c + id);
    }
    near.add(swapCase(id));
    near.remove(id);
    near.remove("");
    return near;
  }

  private static String swapCase(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return b.toString();
  }

  static String randomId(Random random, int length) {
    char[] id = new char[length];
    for (int i = 0; i < length; i++) {
      id[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(id);
  }

  /**
   * The error body with the guessed id taken out: all that may differ between two misses. Only
   * where the message quotes it, since a short guess ("p") also occurs in the message's words.
   */
  private static String normalized(String body, String id) {
    try {
      return JSON.readTree(body).toString().replace("session " + id + " (", "session <id> (");
    } catch (Exception e) {
      return "not JSON: " + body;
    }
  }
}
