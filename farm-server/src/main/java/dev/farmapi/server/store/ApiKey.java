package dev.farmapi.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key as stored: never the key itself, only its SHA-256 and a short public id. Immutable.
 *
 * @param id the public id: the first characters of the key after {@code farm_} (for keys made
 *     before ids existed, the first hex digits of the hash); safe to show, log and type
 * @param hash SHA-256 of the whole key, lower-case hex
 * @param farm the farm (tenant) the key opens
 * @param createTime when it was made
 * @param expireTime when it stops working, or null for never
 * @param readOnly whether it may only list, get and download
 * @param note what the operator wrote to remember it by, or null
 * @param lastUseTime the last use recorded, to the minute, or null if never used
 * @param revokeTime when it was revoked, or null while it is not
 */
public record ApiKey(
    String id,
    String hash,
    String farm,
    Instant createTime,
    Instant expireTime,
    boolean readOnly,
    String note,
    Instant lastUseTime,
    Instant revokeTime) {

  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(farm, "farm");
    Objects.requireNonNull(createTime, "createTime");
  }

  /** A new key: never used, not revoked. */
  public static ApiKey create(String id, String hash, String farm, Instant createTime,
      Instant expireTime, boolean readOnly, String note) {
    return new ApiKey(id, hash, farm, createTime, expireTime, readOnly, note, null, null);
  }

  public boolean isRevoked() {
    return revokeTime != null;
  }

  /** Whether it has expired at {@code now}: from its expiry time on, not before. */
  public boolean isExpiredAt(Instant now) {
    return expireTime != null && !now.isBefore(expireTime);
  }

  /** Whether a request made at {@code now} with this key is let in. */
  public boolean isValidAt(Instant now) {
    return !isRevoked() && !isExpiredAt(now);
  }
}
