package dev.farmapi.server;

import dev.farmapi.server.store.Ids;
import dev.farmapi.server.store.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * API keys: each belongs to one farm (tenant). Only a SHA-256 of a key is stored, so a copy of
 * the database does not leak usable keys.
 */
public final class ApiKeys {
  /** Farm names: lower-case letters, digits and dashes, as in a DNS label. */
  public static final Pattern FARM_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  /** The farm the admin key (created on first start) belongs to. */
  public static final String DEFAULT_FARM = "default";

  private ApiKeys() {}

  /** Creates and records a new key for {@code farm}; returns the key, which is shown only once. */
  public static String create(MetadataStore store, String farm) {
    if (!FARM_NAME.matcher(farm).matches()) {
      throw new IllegalArgumentException("farm name '" + farm
          + "' is invalid: use lower-case letters, digits and dashes, at most 63 characters");
    }
    String key = Ids.apiKey();
    store.addKey(hash(key), farm, Instant.now());
    return key;
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
}
