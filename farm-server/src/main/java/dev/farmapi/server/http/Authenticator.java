package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.MetadataStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Finds the farm of a request's API key ({@code Authorization: Bearer KEY} or {@code ?key=KEY}).
 * Known keys are cached: keys are never revoked, and new ones (made by another process with
 * {@code farm keys create}) still reach the store because only hits are cached.
 */
final class Authenticator {
  private final MetadataStore meta;
  private final Map<String, String> farmsByKeyHash = new ConcurrentHashMap<>();

  Authenticator(MetadataStore meta) {
    this.meta = meta;
  }

  /** The farm of the request's key, or null when it carries none. A bad key is a 401. */
  String farmOf(Exchange ex) {
    String key = ex.query.get("key");
    String authorization = ex.header(HttpHeader.AUTHORIZATION);
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw unauthenticated("the Authorization header must be 'Bearer KEY'");
      }
      String bearer = authorization.substring(7).trim();
      if (key != null && !key.equals(bearer)) {
        throw ApiException.badRequest("conflictingKeys",
            "the request carries two different API keys (header and ?key=); send one");
      }
      key = bearer;
    }
    if (key == null) {
      return null;
    }
    String hash = ApiKeys.hash(key);
    String farm = farmsByKeyHash.get(hash);
    if (farm == null) {
      farm = meta.farmOfKey(hash).orElseThrow(() -> unauthenticated(
          "API key not valid; use the admin key from the server's data folder (admin.key) or"
              + " one made with: farm keys create --farm NAME"));
      farmsByKeyHash.put(hash, farm);
    }
    return farm;
  }

  /** The farm of the request's key, which it must carry. */
  String requireFarm(Exchange ex) {
    String farm = farmOf(ex);
    if (farm == null) {
      throw unauthenticated("this request needs an API key: send 'Authorization: Bearer KEY' or"
          + " ?key=KEY (the server's admin key is in its data folder, in admin.key)");
    }
    return farm;
  }

  private static ApiException unauthenticated(String message) {
    return new ApiException(401, "unauthorized", message);
  }
}
