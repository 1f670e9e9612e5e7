package dev.farmapi.server.http;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.ApiKey;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys this server node looked up lately, each trusted for at most {@code ttl} before it
 * is read from the store again: a key revoked (or deleted by hand, or changed by any node) is
 * refused within that time, with no message between nodes and no state that outlives it. Expiry
 * needs no reload: it is checked against the clock on every use.
 *
 * <p>Bounded: at most {@code maxKeys} keys are held; past that, stale ones are dropped, and
 * all of them if that is not enough. Unknown keys are not cached, so a key made a moment ago by
 * {@code farm keys create} works at once.
 *
 * <p>Also records when each key was last used, to the minute, with at most one store write per
 * key and minute on this node: the first use in a new minute writes, the others see that the
 * minute is recorded.
 */
final class KeyCache {
  /** How long a key looked up is trusted: revocation reaches every node within this. */
  static final Duration TTL = Duration.ofSeconds(2);
  /** Keys held at most; a busy server with more keys than this reads some more often. */
  static final int MAX_KEYS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(KeyCache.class);

  private final MetadataStore meta;
  private final Clock clock;
  private final Duration ttl;
  private final int maxKeys;
  /** Key hash to key id: fixed for a key's life, so kept without a time limit (but bounded). */
  private final Map<String, String> idsByHash = new ConcurrentHashMap<>();
  private final Map<String, Entry> byId = new ConcurrentHashMap<>();

  /** A key as read at {@code loaded}, and the last minute of use recorded for it. */
  private static final class Entry {
    final ApiKey key;
    final Instant loaded;
    final AtomicLong recordedMinute;

    Entry(ApiKey key, Instant loaded) {
      this.key = key;
      this.loaded = loaded;
      this.recordedMinute = new AtomicLong(
          key.lastUseTime() == null ? Long.MIN_VALUE : minuteOf(key.lastUseTime()));
    }
  }

  KeyCache(MetadataStore meta, Clock clock, Duration ttl, int maxKeys) {
    this.meta = meta;
    this.clock = clock;
    this.ttl = ttl;
    this.maxKeys = maxKeys;
  }

  /** The key whose whole text is {@code secret}, if it is valid now; records its use. */
  Optional<ApiKey> bySecret(String secret) {
    String hash = ApiKeys.hash(secret);
    String id = idsByHash.get(hash);
    Entry entry;
    if (id == null) {
      Optional<ApiKey> stored = meta.keyByHash(hash);
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      entry = put(stored.get(), clock.instant());
      if (idsByHash.size() >= maxKeys) {
        idsByHash.clear();
      }
      idsByHash.put(hash, entry.key.id());
    } else {
      entry = fresh(id);
      if (entry == null || !entry.key.hash().equals(hash)) {
        return Optional.empty();
      }
    }
    return use(entry);
  }

  /** The key with public id {@code id}, if it is valid now; records its use. */
  Optional<ApiKey> byId(String id) {
    Entry entry = fresh(id);
    return entry == null ? Optional.empty() : use(entry);
  }

  /** The entry of {@code id}, read again from the store when older than the TTL; null if none. */
  private Entry fresh(String id) {
    Instant now = clock.instant();
    Entry entry = byId.get(id);
    if (entry != null && !now.isBefore(entry.loaded) && now.isBefore(entry.loaded.plus(ttl))) {
      return entry;
    }
    Optional<ApiKey> stored = meta.key(id);
    if (stored.isEmpty()) {
      byId.remove(id); // deleted by hand: as unknown as a key never made
      return null;
    }
    return put(stored.get(), now);
  }

  private Entry put(ApiKey key, Instant now) {
    if (byId.size() >= maxKeys) {
      byId.values().removeIf(e -> !now.isBefore(e.loaded.plus(ttl)));
      if (byId.size() >= maxKeys) {
        byId.clear();
      }
    }
    Entry entry = new Entry(key, now);
    byId.put(key.id(), entry);
    return entry;
  }

  private Optional<ApiKey> use(Entry entry) {
    Instant now = clock.instant();
    if (!entry.key.isValidAt(now)) {
      return Optional.empty();
    }
    long minute = minuteOf(now);
    long recorded = entry.recordedMinute.get();
    if (recorded < minute && entry.recordedMinute.compareAndSet(recorded, minute)) {
      try {
        meta.recordKeyUse(entry.key.id(), Instant.ofEpochSecond(minute * 60));
      } catch (StoreException e) {
        // "Last used" is a hint for operators: a store that cannot take it must not cost the
        // request. The next reload of the key tries again.
        log.warn("could not record the use of API key {}: {}", entry.key.id(), e.getMessage());
      }
    }
    return Optional.of(entry.key);
  }

  /** Keys held now (for tests of the bound). */
  int size() {
    return Math.max(byId.size(), idsByHash.size());
  }

  private static long minuteOf(Instant time) {
    return Math.floorDiv(time.getEpochSecond(), 60);
  }
}
