package dev.farmapi.server;

import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.PostgresMetadataStore;
import dev.farmapi.server.store.PostgresSessionLocks;
import dev.farmapi.server.store.S3BlobStore;
import dev.farmapi.server.store.SessionLocks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The stores a server runs on, chosen by its {@link ServerConfig}: the embedded ones (SQLite and
 * a blob folder in the data folder, {@link FarmData}) unless a shared PostgreSQL
 * ({@link ServerConfig#database()}) or S3 store ({@link ServerConfig#blobStore()}) is named. On
 * both shared stores a node keeps no state of its own, so any node can take any request; the
 * session locks then span the nodes.
 */
public final class FarmStores implements AutoCloseable {
  /** How old an unreferenced S3 blob must be before a starting node deletes it. */
  static final Duration SHARED_ORPHAN_GRACE = Duration.ofHours(1);

  private final MetadataStore meta;
  private final BlobStore blobs;
  private final SessionLocks locks;
  private final String newAdminKey;
  private final List<AutoCloseable> owned;

  private FarmStores(MetadataStore meta, BlobStore blobs, SessionLocks locks, String newAdminKey,
      List<AutoCloseable> owned) {
    this.meta = meta;
    this.blobs = blobs;
    this.locks = locks;
    this.newAdminKey = newAdminKey;
    this.owned = owned;
  }

  /** Opens the stores {@code config} names; the first start on an empty store makes the admin key. */
  public static FarmStores open(ServerConfig config) throws IOException {
    if (config.database() == null && config.blobStore() == null) {
      FarmData data = FarmData.open(config.dataDir());
      return new FarmStores(data.meta(), data.blobs(), SessionLocks.inProcess(),
          data.newAdminKey().orElse(null), List.of(data));
    }
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      MetadataStore meta;
      SessionLocks locks;
      String adminKey = null;
      FarmData data = null;
      if (config.database() != null) {
        meta = PostgresMetadataStore.open(config.database(), 16);
        owned.add(meta);
        PostgresSessionLocks shared = new PostgresSessionLocks(config.database(),
            Math.min(config.maxConcurrentRequests(), 64), lockWait(config));
        owned.add(shared);
        locks = shared;
        if (!meta.hasKeys()) {
          adminKey = ApiKeys.create(meta, ApiKeys.DEFAULT_FARM); // shown once, stored nowhere
        }
      } else {
        data = FarmData.open(config.dataDir());
        owned.add(data);
        meta = data.meta();
        locks = SessionLocks.inProcess();
        adminKey = data.newAdminKey().orElse(null);
      }
      BlobStore blobs;
      if (config.blobStore() != null) {
        S3BlobStore s3 = S3BlobStore.open(config.blobStore(),
            DefaultCredentialsProvider.builder().build(), S3BlobStore.DEFAULT_PART_SIZE,
            SHARED_ORPHAN_GRACE);
        owned.add(s3);
        blobs = s3;
      } else {
        if (data == null) {
          data = FarmData.open(config.dataDir());
          owned.add(data);
        }
        blobs = data.blobs();
      }
      return new FarmStores(meta, blobs, locks, adminKey, owned);
    } catch (IOException | RuntimeException e) {
      closeAll(owned);
      throw e;
    }
  }

  /**
   * How long a request waits for a session another node holds: a chunk holds it while its body
   * arrives, so about as long as a body may go silent, and then some.
   */
  private static Duration lockWait(ServerConfig config) {
    Duration twice = config.bodyTimeout().multipliedBy(2);
    return twice.compareTo(Duration.ofSeconds(30)) > 0 ? twice : Duration.ofSeconds(30);
  }

  public MetadataStore meta() {
    return meta;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public SessionLocks locks() {
    return locks;
  }

  /** The admin key, when this open created it: to be shown once. */
  public Optional<String> newAdminKey() {
    return Optional.ofNullable(newAdminKey);
  }

  @Override
  public void close() throws IOException {
    closeAll(owned);
  }

  private static void closeAll(List<AutoCloseable> owned) throws IOException {
    IOException failure = null;
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IOException("closing the stores failed: " + e.getMessage(), e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

}
