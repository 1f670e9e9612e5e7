package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.SharedCluster;
import dev.farmapi.server.testing.TestCluster;
import dev.farmapi.server.testing.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The through-cluster execution's own check that the suite really goes through the cluster: the
 * server the tests see is the balancer, and consecutive chunks of one upload land on different
 * nodes. (Skipped in the default, in-process run.)
 */
class ThroughTheClusterTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  @Test
  void theTestsServerIsTheBalancerAndConsecutiveChunksLandOnEveryNode() throws Exception {
    Assumptions.assumeTrue(SharedCluster.enabled(),
        "checks the through-cluster run (-D" + SharedCluster.PROPERTY + "=cluster)");
    TestCluster cluster = server.cluster().orElseThrow();
    FarmTestClient farm = server.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(6 * K256 + 77, 401);
    String session = farm.initiate("{\"name\":\"Rover\"}", "image/png", media.length);

    RawHttp.Response last = null;
    for (int first = 0; first < media.length; first += K256) {
      last = farm.putChunk(session, first, slice(media, first,
          Math.min(media.length, first + K256)), media.length);
    }

    assertThat(server.uri()).isEqualTo(cluster.uri());
    assertStored(farm, FarmTestClient.ok(last), media);
    // Seven PUTs in a row, round-robin over three nodes: each node took some.
    assertThat(cluster.nodesThatServed(session)).hasSize(cluster.nodes().size());
  }
}
