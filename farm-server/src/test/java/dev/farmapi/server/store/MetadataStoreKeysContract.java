package dev.farmapi.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} promises about API keys: found by hash and by public id,
 * listed oldest first with revoked ones, revoked once, and a last use that never moves back
 * (several server nodes record uses in any order). Run it over an implementation by extending it.
 */
public abstract class MetadataStoreKeysContract {
  static final Instant T0 = MetadataStoreContract.T0;

  protected MetadataStore store;

  /** A new, empty store. */
  protected abstract MetadataStore newStore() throws Exception;

  /** The same store closed and opened again: what survives is what was durable. */
  protected abstract MetadataStore reopen(MetadataStore store) throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
  }

  static ApiKey key(String id, String farm, Instant created) {
    return ApiKey.create(id, "hash-" + id, farm, created, null, false, null);
  }

  @Test
  void keysAreFoundByHashAndByIdWithEveryField() throws Exception {
    assertThat(store.hasKeys()).isFalse();
    ApiKey limited = ApiKey.create("ro123456", "hash-ro", "alpha", T0, T0.plusSeconds(3600),
        true, "the kiosk in the barn");
    ApiKey plain = key("rw123456", "beta", T0.plusSeconds(1));

    store.addKey(limited);
    store.addKey(plain);
    store = reopen(store);

    assertThat(store.hasKeys()).isTrue();
    assertThat(store.keyByHash("hash-ro")).contains(limited);
    assertThat(store.key("ro123456")).contains(limited);
    assertThat(store.key("rw123456")).contains(plain);
    assertThat(store.key("rw123456").orElseThrow().expireTime()).isNull();
    assertThat(store.keyByHash("hash-nope")).isEmpty();
    assertThat(store.key("nope")).isEmpty();
  }

  @Test
  void idsAndHashesAreUnique() {
    store.addKey(key("same", "alpha", T0));

    assertThatThrownBy(() -> store.addKey(ApiKey.create("same", "other-hash", "beta", T0, null,
        false, null))).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.addKey(ApiKey.create("other", "hash-same", "beta", T0, null,
        false, null))).isInstanceOf(StoreException.class);
    assertThat(store.keys()).extracting(ApiKey::farm).containsExactly("alpha");
  }

  @Test
  void keysAreListedOldestFirstAcrossFarms() {
    store.addKey(key("third", "alpha", T0.plusSeconds(2)));
    store.addKey(key("first", "beta", T0));
    store.addKey(key("second", "alpha", T0.plusSeconds(1)));

    assertThat(store.keys()).extracting(ApiKey::id).containsExactly("first", "second", "third");
  }

  @Test
  void revokedKeyStaysListedWithItsFirstRevocationTime() throws Exception {
    store.addKey(key("k1", "alpha", T0));
    store.addKey(key("k2", "alpha", T0));

    assertThat(store.revokeKey("k1", T0.plusSeconds(10))).isTrue();
    assertThat(store.revokeKey("k1", T0.plusSeconds(20))).isFalse();
    assertThat(store.revokeKey("nope", T0)).isFalse();
    store = reopen(store);

    ApiKey revoked = store.key("k1").orElseThrow();
    assertThat(revoked.revokeTime()).isEqualTo(T0.plusSeconds(10));
    assertThat(revoked.isValidAt(T0.plusSeconds(11))).isFalse();
    assertThat(store.key("k2").orElseThrow().isRevoked()).isFalse();
    assertThat(store.keys()).extracting(ApiKey::id).containsExactly("k1", "k2");
    assertThat(store.hasKeys()).isTrue(); // a first start must not make a new admin key
  }

  @Test
  void lastUseOnlyMovesForward() throws Exception {
    store.addKey(key("k1", "alpha", T0));
    assertThat(store.key("k1").orElseThrow().lastUseTime()).isNull();

    store.recordKeyUse("k1", T0.plusSeconds(120));
    store.recordKeyUse("k1", T0.plusSeconds(60)); // a slower node, an older minute
    assertThat(store.key("k1").orElseThrow().lastUseTime()).isEqualTo(T0.plusSeconds(120));

    store.recordKeyUse("k1", T0.plusSeconds(180));
    store.recordKeyUse("nope", T0); // no such key: nothing to record
    store = reopen(store);
    assertThat(store.key("k1").orElseThrow().lastUseTime()).isEqualTo(T0.plusSeconds(180));
  }
}
