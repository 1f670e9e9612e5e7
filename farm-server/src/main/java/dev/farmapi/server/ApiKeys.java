package dev.farmapi.server;

import dev.farmapi.server.store.ApiKey;
import dev.farmapi.server.store.Ids;
import dev.farmapi.server.store.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys: each opens one farm (tenant), read-write or read-only, until it expires or is
 * revoked. Only a SHA-256 of a key is stored, so a copy of the database does not leak usable
 * keys; a key is known by its public id, the first {@value #ID_LENGTH} characters after
 * {@code farm_}, which is safe to show and log (it leaves 208 of the key's 256 random bits).
 *
 * <p>What operators do with keys ({@code farm keys create|list|revoke}) goes through here, on
 * the store directly, so it works while servers run on the same store.
 */
public final class ApiKeys {
  /** Farm names: lower-case letters, digits and dashes, as in a DNS label. */
  public static final Pattern FARM_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  /** The farm the admin key (created on first start) belongs to. */
  public static final String DEFAULT_FARM = "default";

  /** The note of the admin key the first start makes. */
  public static final String ADMIN_NOTE = "admin key, made on first start";

  /** Characters of a key, after {@code farm_}, that make its public id. */
  public static final int ID_LENGTH = 8;

  /** Longest note an operator may attach to a key. */
  public static final int MAX_NOTE = 200;

  private static final String PREFIX = "farm_";

  private ApiKeys() {}

  /**
   * How a new key is restricted.
   *
   * @param lifetime how long it works from its creation, or null for ever
   * @param readOnly whether it may only list, get and download
   * @param note what the operator remembers it by, or null
   */
  public record Options(Duration lifetime, boolean readOnly, String note) {
    /** Read-write, never expires, no note. */
    public static final Options DEFAULT = new Options(null, false, null);

    public Options {
      if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
        throw new IllegalArgumentException("a key's lifetime must be positive, not " + lifetime);
      }
      if (note != null && (note.length() > MAX_NOTE || note.chars().anyMatch(Character::isISOControl))) {
        throw new IllegalArgumentException("a key's note must be at most " + MAX_NOTE
            + " characters, without control characters");
      }
    }

    public Options withLifetime(Duration newLifetime) {
      return new Options(newLifetime, readOnly, note);
    }

    public Options withReadOnly(boolean newReadOnly) {
      return new Options(lifetime, newReadOnly, note);
    }

    public Options withNote(String newNote) {
      return new Options(lifetime, readOnly, newNote == null || newNote.isBlank() ? null : newNote);
    }
  }

  /** A key just made: the secret, shown once and never stored, and what is stored of it. */
  public record NewKey(String secret, ApiKey key) {
    @Override
    public String toString() {
      return "NewKey[" + key.id() + "]"; // never the secret, whoever prints this
    }
  }

  /** Creates and records a new read-write key for {@code farm}; returns the key (the secret). */
  public static String create(MetadataStore store, String farm) {
    return create(store, farm, Options.DEFAULT, Instant.now()).secret();
  }

  /** Creates and records a new key for {@code farm}, made at {@code now}. */
  public static NewKey create(MetadataStore store, String farm, Options options, Instant now) {
    if (!FARM_NAME.matcher(farm).matches()) {
      throw new IllegalArgumentException("farm name '" + farm
          + "' is invalid: use lower-case letters, digits and dashes, at most 63 characters");
    }
    while (true) {
      String secret = Ids.apiKey();
      String id = idOf(secret).orElseThrow();
      if (store.key(id).isPresent()) {
        continue; // 48 random bits: a repeat is all but impossible, but ids must be unique
      }
      Instant expires = options.lifetime() == null ? null : now.plus(options.lifetime());
      ApiKey key = ApiKey.create(id, hash(secret), farm, now, expires, options.readOnly(),
          options.note());
      store.addKey(key);
      return new NewKey(secret, key);
    }
  }

  /** The stored form of a key. */
  public static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JRE has SHA-256", e);
    }
  }

  /** The public id of a whole key as this server makes them; empty for anything else. */
  public static Optional<String> idOf(String secret) {
    return looksLikeWholeKey(secret)
        ? Optional.of(secret.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH))
        : Optional.empty();
  }

  /**
   * The key an operator names: by its id, or by the whole key (what they found in a public
   * place). Messages about it never repeat a whole key.
   */
  public static Optional<ApiKey> find(MetadataStore store, String idOrKey) {
    return looksLikeWholeKey(idOrKey) ? store.keyByHash(hash(idOrKey)) : store.key(idOrKey);
  }

  /**
   * Revokes the key {@code idOrKey} names (see {@link #find}) as of {@code now}; servers refuse
   * it within seconds. Returns it as it was; revoking a revoked key changes nothing.
   *
   * @throws NoSuchElementException when no key has that id
   * @throws IllegalStateException when it is its farm's last valid key and {@code force} is
   *     false: without a key nobody can reach the farm's animals until a new key is made
   */
  public static ApiKey revoke(MetadataStore store, String idOrKey, boolean force, Instant now) {
    ApiKey key = find(store, idOrKey).orElseThrow(() -> new NoSuchElementException(
        looksLikeWholeKey(idOrKey) ? "that key is not one of this farm server's keys"
            : "no key with id '" + idOrKey + "'; 'farm keys list' shows them"));
    if (key.isRevoked()) {
      return key;
    }
    boolean othersValid = store.keys().stream().anyMatch(other -> other.farm().equals(key.farm())
        && !other.id().equals(key.id()) && other.isValidAt(now));
    if (!othersValid && key.isValidAt(now) && !force) {
      throw new IllegalStateException("key " + key.id() + " is the last valid key of farm '"
          + key.farm() + "': revoking it locks everyone out of that farm (its animals stay, but"
          + " no request can reach them) until a new key is made with 'farm keys create --farm "
          + key.farm() + "'. Make the new key first, or pass --force to revoke it anyway");
    }
    store.revokeKey(key.id(), now);
    return key;
  }

  private static boolean looksLikeWholeKey(String text) {
    return text != null && text.startsWith(PREFIX) && text.length() > PREFIX.length() + ID_LENGTH;
  }
}
