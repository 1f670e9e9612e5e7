package dev.farmapi.bench.report;

import java.nio.file.Path;

/** The versions of the cluster's parts, beside {@link MachineFacts}. */
public final class ClusterFacts {
  private ClusterFacts() {}

  /** PostgreSQL, S3Proxy (as {@code script} fetches it) and nginx. */
  public static void collect(Results r, Path script) {
    r.fact("PostgreSQL", MachineFacts.sh("\"$(ls -d /usr/lib/postgresql/*/bin | sort -V "
        + "| tail -1)/postgres\" --version"));
    r.fact("S3Proxy", MachineFacts.sh("sed -n 's/^S3PROXY_VERSION=//p' " + script)
        + " (filesystem backend)");
    r.fact("nginx", MachineFacts.sh("/usr/sbin/nginx -v 2>&1 | sed 's/^nginx version: //'"));
  }
}
