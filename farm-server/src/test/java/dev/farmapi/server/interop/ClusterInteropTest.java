package dev.farmapi.server.interop;

import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.googleapis.media.MediaHttpUploader;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol and the real peers through a 3-node cluster (PostgreSQL, S3Proxy, nginx
 * round-robin without stickiness): consecutive chunks of one upload land on different nodes, and
 * every upload is checked by hash against what any node serves back.
 */
class ClusterInteropTest {
  static final int K256 = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final TestCluster cluster = TestCluster.of(3);

  @TempDir Path work;

  @Test
  void chunksOfOneUploadOnEveryNodeInTurnMakeOneAnimalWithTheExactBytes() throws Exception {
    FarmTestClient farm = cluster.clientOfNewFarm();
    // Past one 8 MiB S3 part: the staged tail, a part made of it, and a tail again.
    byte[] media = FarmTestClient.randomBytes(9 * 1024 * 1024 + 1234, 301);
    String session = farm.initiate("{\"name\":\"Roaming Ram\"}", "image/png", media.length);
    List<FarmTestClient> nodes = cluster.nodes().stream()
        .map(n -> farm.on(n.uri())).toList();

    RawHttp.Response last = null;
    int i = 0;
    for (int first = 0; first < media.length; first += K256, i++) {
      int end = Math.min(media.length, first + K256);
      last = nodes.get(i % 3).putChunk(session, first, Arrays.copyOfRange(media, first, end),
          media.length);
      if (end < media.length) {
        assertThat(last.status()).as("chunk at %d: %s", first, last).isEqualTo(308);
        // Any other node reports the offset this node acknowledged.
        RawHttp.Response query = nodes.get((i + 1) % 3).query(session, media.length);
        assertThat(query.header("Range")).isEqualTo("bytes=0-" + (end - 1));
      }
    }
    JsonNode animal = FarmTestClient.ok(last);
    JsonNode again = FarmTestClient.ok(nodes.get(i % 3).putChunk(session,
        media.length - 1234, Arrays.copyOfRange(media, media.length - 1234, media.length),
        media.length));

    assertThat(again.get("id")).isEqualTo(animal.get("id")); // completion happens once
    for (FarmTestClient node : nodes) {
      assertStored(node, animal, media);
    }
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
  }

  @Test
  void thePythonClientUploadsThroughTheBalancerWithItsChunksOnSeveralNodes() throws Exception {
    byte[] media = FarmTestClient.randomBytes(7 * K256 + 99, 302);
    Files.write(work.resolve("pig.png"), media);
    PythonRunner python = PythonRunner.against(cluster.uri(), cluster.adminKey(), work);

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(K256), "--name", "Pig");

    JsonNode animal = result.json().get("animal");
    FarmTestClient farm = FarmTestClient.of(cluster.uri(), cluster.adminKey());
    assertStored(farm, animal, media);
    List<JsonNode> puts = result.requests("PUT");
    assertThat(puts).hasSize(8);
    String session = puts.get(0).path("path").asText();
    assertThat(cluster.nodesThatServed(session)).as("nodes that took the chunks").hasSizeGreaterThan(1);
  }

  @Test
  void theJavaPeerUploadsThroughTheBalancer() throws Exception {
    byte[] media = FarmTestClient.randomBytes(5 * K256 + 7, 303);
    JavaPeer peer = new JavaPeer(cluster.adminKey());
    MediaHttpUploader uploader = new MediaHttpUploader(
        new ByteArrayContent("application/octet-stream", media), new NetHttpTransport(), peer)
        .setChunkSize(K256);

    HttpResponse response = uploader.upload(
        new GenericUrl(cluster.uri() + "upload/farm/v1/animals"));

    assertThat(response.getStatusCode()).isEqualTo(200);
    JsonNode animal = JSON.readTree(response.parseAsString());
    assertStored(FarmTestClient.of(cluster.uri(), cluster.adminKey()), animal, media);
    assertThat(peer.attempts()).hasSize(1 + 6);
  }

  @Test
  void twoNodesRacingTheSameChunksStoreThemOnceAndNeverOverstateTheOffset() throws Exception {
    FarmTestClient farm = cluster.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(8 * K256 + 5, 304);
    String session = farm.initiate(null, "image/png", media.length);
    FarmTestClient a = farm.on(cluster.node(0).uri());
    FarmTestClient b = farm.on(cluster.node(1).uri());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int first = 0; first < 8 * K256; first += 2 * K256) {
        byte[] chunk = Arrays.copyOfRange(media, first, first + 2 * K256);
        int from = first;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RawHttp.Response>> racers = new ArrayList<>();
        for (FarmTestClient node : List.of(a, b)) {
          racers.add(pool.submit(() -> {
            go.await();
            return node.putChunk(session, from, chunk, media.length);
          }));
        }
        go.countDown();
        for (Future<RawHttp.Response> racer : racers) {
          RawHttp.Response r = racer.get();
          // 308 with the true offset, or 503 (the session was held: ask and resume); a 308
          // never names a byte that is not stored.
          assertThat(r.status()).as("%s", r).isIn(308, 503);
          if (r.status() == 308) {
            assertThat(r.header("Range")).isEqualTo("bytes=0-" + (from + 2 * K256 - 1));
          }
        }
        RawHttp.Response settled = a.query(session, media.length);
        if (!("bytes=0-" + (from + 2 * K256 - 1)).equals(settled.header("Range"))) {
          // Both lost to each other's lock: the client resends, as any client would.
          assertThat(a.putChunk(session, from, chunk, media.length).status()).isEqualTo(308);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    JsonNode animal = FarmTestClient.ok(b.putChunk(session, 8 * K256,
        Arrays.copyOfRange(media, 8 * K256, media.length), media.length));

    assertStored(farm, animal, media);
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
  }

  @Test
  void oneIdempotencyKeySentToTwoNodesAtOnceMakesOneAnimal() throws Exception {
    FarmTestClient farm = cluster.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(8 << 20, 306);
    String key = "retry-" + System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RawHttp.Response>> both = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        FarmTestClient node = farm.on(cluster.node(i).uri());
        both.add(pool.submit(() -> {
          go.await();
          return node.request("POST", "/upload/farm/v1/animals?uploadType=media")
              .header("Content-Type", "application/octet-stream")
              .header("Idempotency-Key", key).body(media).send();
        }));
      }
      go.countDown();
      JsonNode first = FarmTestClient.ok(both.get(0).get());
      JsonNode second = FarmTestClient.ok(both.get(1).get());

      // The key is held across nodes (a PostgreSQL advisory lock): the later request waits for
      // the earlier and answers its animal.
      assertThat(second.get("id")).isEqualTo(first.get("id"));
      assertStored(farm, first, media);
      assertThat(farm.listIds()).containsExactly(first.get("id").asText());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCancelOnOneNodeEndsTheSessionOnEvery() throws Exception {
    FarmTestClient farm = cluster.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(3 * K256, 305);
    String session = farm.initiate(null, "image/png", media.length);
    farm.on(cluster.node(0).uri()).putChunk(session, 0, Arrays.copyOf(media, K256),
        media.length);

    RawHttp.Response cancelled = farm.on(cluster.node(1).uri()).anonymous("DELETE", session).send();

    assertThat(cancelled.status()).isEqualTo(499);
    for (var node : cluster.nodes()) {
      assertError(farm.on(node.uri()).query(session, media.length), 404, "notFound");
    }
  }
}
