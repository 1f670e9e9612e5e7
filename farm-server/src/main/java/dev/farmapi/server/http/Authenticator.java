package dev.farmapi.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.ApiKey;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.UploadSession;
import java.time.Clock;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Who a request is: the API key it carries ({@code Authorization: Bearer KEY} or
 * {@code ?key=KEY}), looked up through a {@link KeyCache} so that revocation and expiry take
 * effect within seconds on every node. An unknown, revoked or expired key gets one and the same
 * 401, so that the answer tells a stranger nothing about a key they hold. Nothing here ever puts
 * a key's text in a message or a log line; only its public id.
 */
final class Authenticator {
  private static final String NOT_VALID = "API key not valid; use the admin key from the server's"
      + " data folder (admin.key) or one made with: farm keys create --farm NAME";

  private final KeyCache keys;

  Authenticator(MetadataStore meta, Clock clock) {
    this.keys = new KeyCache(meta, clock, KeyCache.TTL, KeyCache.MAX_KEYS);
  }

  /**
   * Sets the request's key and farm from the key it carries, if any (else leaves them null). A
   * key that is not valid now is a 401.
   */
  void authenticate(Exchange ex) {
    String secret = secretOf(ex);
    if (secret != null) {
      ex.key = keys.bySecret(secret).orElseThrow(() -> unauthenticated(NOT_VALID));
      ex.farm = ex.key.farm();
    }
  }

  /** As {@link #authenticate}, for a request that must carry a key. */
  void requireKey(Exchange ex) {
    authenticate(ex);
    if (ex.key == null) {
      throw unauthenticated("this request needs an API key: send 'Authorization: Bearer KEY' or"
          + " ?key=KEY (the server's admin key is in its data folder, in admin.key)");
    }
  }

  /** Refuses a write to a request whose key is read-only (403), before anything else happens. */
  static void requireWrite(Exchange ex) {
    if (ex.key != null && ex.key.readOnly()) {
      throw new ApiException(403, "insufficientPermissions", "API key " + ex.key.id()
          + " is read-only: it may list, get and download animals, not change them or upload;"
          + " use a read-write key");
    }
  }

  /**
   * Lets a request on a session URI in. A request with a key of its own was judged by it already
   * (a read-write key of the session's farm may go on with any of the farm's sessions). Without
   * one, the session URI is the capability, but only while the key that started the session is
   * valid: revoking that key stops the session, from its next request on (401).
   */
  void authorizeSession(Exchange ex, UploadSession session) {
    if (ex.key == null && session.keyId() != null && keys.byId(session.keyId()).isEmpty()) {
      throw unauthenticated("the API key that started this upload session (" + session.keyId()
          + ") was revoked or has expired; its bytes are kept: send this request with a valid"
          + " key of the same farm to go on, or start the upload again with one");
    }
  }

  /** The answer to {@code GET farm/v1/whoami}: the farm and scope of the request's key. */
  static ObjectNode whoami(ApiKey key) {
    return Json.object()
        .put("kind", "farm#whoami")
        .put("farm", key.farm())
        .put("keyId", key.id())
        .put("readOnly", key.readOnly());
  }

  private static String secretOf(Exchange ex) {
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
    return key;
  }

  private static ApiException unauthenticated(String message) {
    return new ApiException(401, "unauthorized", message);
  }
}
