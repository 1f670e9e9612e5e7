package dev.farmapi.server.store;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Random identifiers. All are URL-safe base64 from a {@link SecureRandom}. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  /** What every id we hand out looks like; anything else cannot name one of ours. */
  public static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private Ids() {}

  /** An animal id: 96 bits, 16 characters. */
  public static String animalId() {
    return random(12);
  }

  /** An upload id: 192 bits, 32 characters. It is a capability, so it must be unguessable. */
  public static String uploadId() {
    return random(24);
  }

  /** A blob key: 144 bits, 24 characters. */
  public static String blobKey() {
    return random(18);
  }

  /** An etag: 72 bits, 12 characters. */
  public static String etag() {
    return random(9);
  }

  /** An API key: 256 bits, prefixed so that a leaked key is recognisable in logs and scanners. */
  public static String apiKey() {
    return "farm_" + random(32);
  }

  public static boolean isWellFormed(String id) {
    return id != null && WELL_FORMED.matcher(id).matches();
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return ENCODER.encodeToString(b);
  }
}
