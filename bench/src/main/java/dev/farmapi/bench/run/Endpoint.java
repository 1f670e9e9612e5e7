package dev.farmapi.bench.run;

import java.net.URI;

/**
 * Where a client uploads to: a Farm's root URL and an API key that writes to it. A
 * {@link ServerProcess}, a node of a {@link LocalCluster} or its balancer.
 */
public interface Endpoint {
  URI root();

  String key();

  /** A plain endpoint (e.g. one node of a cluster, reached directly). */
  static Endpoint of(URI root, String key) {
    record Fixed(URI root, String key) implements Endpoint {}
    return new Fixed(root, key);
  }
}
