package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.SqliteMetadataStore;
import dev.farmapi.server.testing.FaultyMetadataStore;
import dev.farmapi.server.testing.FaultyMetadataStore.Write;
import dev.farmapi.server.testing.SettableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;

/**
 * The server's view of API keys over a real SQLite store and a clock the test moves: expiry to
 * the millisecond, revocation within the cache's time limit, a bounded cache, and "last used"
 * written once a minute, not once a request.
 */
class KeyCacheTest {
  /** A whole minute, so that "the same minute" is easy to read below. */
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  static final Duration TTL = KeyCache.TTL;

  @TempDir Path dir;
  SqliteMetadataStore real;
  FaultyMetadataStore store;
  SettableClock clock = new SettableClock(T0);
  KeyCache cache;

  @BeforeEach
  void open() throws Exception {
    real = SqliteMetadataStore.open(dir.resolve("farm.db"));
    store = new FaultyMetadataStore(real);
    cache = new KeyCache(store, clock, TTL, 100);
  }

  @AfterEach
  void close() throws Exception {
    real.close();
  }

  private ApiKeys.NewKey newKey(ApiKeys.Options options) {
    return ApiKeys.create(store, "barn", options, clock.instant());
  }

  @Test
  void anExpiringKeyWorksUntilItsExpiryInstantAndNeverFrom() {
    ApiKeys.NewKey key = newKey(ApiKeys.Options.DEFAULT.withLifetime(Duration.ofDays(30)));
    Instant expiry = T0.plus(Duration.ofDays(30));

    clock.set(expiry.minusMillis(1));
    assertThat(cache.bySecret(key.secret())).isPresent();
    assertThat(cache.byId(key.key().id())).isPresent();

    clock.set(expiry); // the entry is fresh: expiry needs no reload, it is checked on every use
    assertThat(cache.bySecret(key.secret())).isEmpty();
    assertThat(cache.byId(key.key().id())).isEmpty();
    clock.advance(Duration.ofDays(365));
    assertThat(cache.bySecret(key.secret())).isEmpty();
  }

  @Test
  void aRevokedKeyIsRefusedOnceTheCacheTimeLimitHasPassed() {
    ApiKeys.NewKey key = newKey(ApiKeys.Options.DEFAULT);
    assertThat(cache.bySecret(key.secret())).isPresent(); // now cached

    ApiKeys.revoke(store, key.key().id(), true, T0);

    clock.advance(TTL.minusMillis(1));
    assertThat(cache.bySecret(key.secret())).as("still trusted within the limit").isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(cache.bySecret(key.secret())).isEmpty();
    assertThat(cache.byId(key.key().id())).isEmpty();
    assertThat(TTL).isLessThanOrEqualTo(Duration.ofSeconds(5)); // the promise
  }

  @Test
  void aKeyRowDeletedByHandIsRefusedOnceTheCacheTimeLimitHasPassed() throws Exception {
    ApiKeys.NewKey key = newKey(ApiKeys.Options.DEFAULT);
    assertThat(cache.byId(key.key().id())).isPresent();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("farm.db"))) {
      c.createStatement().executeUpdate("DELETE FROM api_keys");
    }
    clock.advance(TTL);

    assertThat(cache.bySecret(key.secret())).isEmpty();
    assertThat(cache.byId(key.key().id())).isEmpty();
  }

  @Test
  void aKeyMadeAMomentAgoWorksAtOnce() {
    String secret = "farm_" + "x".repeat(43);
    assertThat(cache.bySecret(secret)).isEmpty(); // unknown, and not remembered as unknown

    ApiKeys.NewKey key = newKey(ApiKeys.Options.DEFAULT.withReadOnly(true));

    assertThat(cache.bySecret(key.secret())).hasValueSatisfying(k -> {
      assertThat(k.farm()).isEqualTo("barn");
      assertThat(k.readOnly()).isTrue();
    });
  }

  @Test
  void lastUseIsWrittenOnceAMinuteHoweverManyRequestsAndReloads() {
    ApiKeys.NewKey key = newKey(ApiKeys.Options.DEFAULT);

    for (int second = 0; second < 60; second++) { // a request a second; reloads every TTL
      clock.set(T0.plusSeconds(second).plusMillis(500));
      assertThat(cache.bySecret(key.secret())).isPresent();
    }
    assertThat(store.attempts(Write.RECORD_KEY_USE)).isEqualTo(1);
    assertThat(real.key(key.key().id()).orElseThrow().lastUseTime()).isEqualTo(T0);

    clock.set(T0.plusSeconds(61));
    cache.byId(key.key().id()); // a session request without a key uses the key too
    cache.bySecret(key.secret());
    assertThat(store.attempts(Write.RECORD_KEY_USE)).isEqualTo(2);
    assertThat(real.key(key.key().id()).orElseThrow().lastUseTime())
        .isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void aStoreThatCannotRecordTheUseStillLetsTheKeyIn() {
    ApiKeys.NewKey key = newKey(ApiKeys.Options.DEFAULT);
    store.fail(Write.RECORD_KEY_USE, SQLiteErrorCode.SQLITE_FULL);

    assertThat(cache.bySecret(key.secret())).isPresent();
    assertThat(store.fired()).isEqualTo(1);
    assertThat(real.key(key.key().id()).orElseThrow().lastUseTime()).isNull();
  }

  @Test
  void theCacheHoldsNoMoreKeysThanItsBoundAndStillAnswersRight() {
    KeyCache small = new KeyCache(store, clock, TTL, 3);
    ApiKeys.NewKey[] keys = new ApiKeys.NewKey[7];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = newKey(ApiKeys.Options.DEFAULT);
    }
    ApiKeys.revoke(store, keys[2].key().id(), true, T0);

    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < keys.length; i++) {
        assertThat(small.bySecret(keys[i].secret()).isPresent()).as("key %d", i).isEqualTo(i != 2);
        assertThat(small.size()).isLessThanOrEqualTo(3);
      }
    }
  }
}
