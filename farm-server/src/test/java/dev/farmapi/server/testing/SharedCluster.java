package dev.farmapi.server.testing;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * The cluster the suites run through when the build asks for it
 * ({@code -Dfarm.test.target=cluster}, farm-server's {@code through-cluster} execution): one
 * {@link TestCluster} of 3 nodes per test JVM, started by the first {@link TestServer} that needs
 * it and stopped when the JVM exits. Each {@link TestServer} then is a view of it with a farm and
 * key of its own, its {@code uri()} the balancer's, so that every chunk may land on any node.
 *
 * <p>A test that needs what a cluster of child JVMs cannot give (its own server configuration,
 * store wrappers in this JVM, the server's data folder, a restart, per-process state such as
 * retry tests) is skipped here, with the reason: {@link #assumeOneProcess}, {@link InProcessOnly}.
 */
public final class SharedCluster {
  /** The system property that sends the suites through the cluster. */
  public static final String PROPERTY = "farm.test.target";

  /** What a test needs that lives in one process: the retry tests of fault injection. */
  public static final String RETRY_TESTS = "retry tests (fault injection), which each node keeps"
      + " in its own memory, while the balancer sends the next request to another node";

  private static TestCluster cluster; // guarded by SharedCluster.class
  private static IOException failure; // a start that failed is not tried again by every test

  private SharedCluster() {}

  /** Whether this JVM's tests run through the shared cluster. */
  public static boolean enabled() {
    return "cluster".equals(System.getProperty(PROPERTY));
  }

  /**
   * Skips the calling test in cluster mode: it needs {@code what}. (Called from a
   * {@code @BeforeAll}, the skip would go unreported: there, use {@link InProcessOnly}.)
   */
  public static void assumeOneProcess(String what) {
    Assumptions.assumeFalse(enabled(), () -> skipReason(what));
  }

  static String skipReason(String what) {
    return "needs " + what + ", which the 3-node cluster (child JVMs behind nginx) does not give";
  }

  /** The cluster, started on first use; its nodes fail a body silent for {@code bodyTimeout}. */
  static synchronized TestCluster get(Duration bodyTimeout) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (cluster == null) {
      TestCluster started = TestCluster.of(3, bodyTimeout);
      try {
        started.start();
      } catch (Exception e) {
        failure = new IOException("the shared test cluster did not start", e);
        throw failure;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (Exception e) {
          e.printStackTrace(); // the JVM is exiting: a report is all that is left to do
        }
      }, "shared-cluster-stop"));
      cluster = started;
    }
    return cluster;
  }
}
