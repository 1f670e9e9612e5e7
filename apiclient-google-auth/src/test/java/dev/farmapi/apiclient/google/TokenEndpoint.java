package dev.farmapi.apiclient.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An OAuth 2.0 token endpoint for service accounts, on 127.0.0.1: it takes the JWT-bearer grant
 * (RFC 7523) that google-auth sends to the {@code token_uri} of a service-account JSON, checks the
 * assertion's RS256 signature against the account's public key and its claims, and answers
 * with an access token from {@code tokens} (the tests mint real keys of a Farm server, so the
 * API server itself decides whether a token is still good). Every grant is recorded.
 */
final class TokenEndpoint implements AutoCloseable {
  static final String CLIENT_EMAIL = "uploader@farmapi-test.iam.gserviceaccount.com";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** google-auth addresses the assertion to Google's token endpoint whatever token_uri says. */
  private static final java.util.Set<String> AUDIENCES =
      java.util.Set.of("https://oauth2.googleapis.com/token");

  /** A token handed out, and the scope its grant asked for. */
  record Grant(String token, String scope) {}

  private final HttpServer server;
  private final KeyPair account;
  private final Function<Duration, String> tokens;
  private volatile Duration lifetime = Duration.ofHours(1);
  private volatile String refusal; // an OAuth error to answer with, or null
  final List<Grant> grants = new CopyOnWriteArrayList<>();

  /** @param tokens makes an access token that the API server accepts for the given lifetime */
  TokenEndpoint(Function<Duration, String> tokens) throws Exception {
    this.tokens = tokens;
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    this.account = generator.generateKeyPair();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  URI tokenUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  /** How long the tokens handed out from now on live (expires_in). */
  void lifetime(Duration d) {
    lifetime = d;
  }

  /** Refuse every grant from now on with this OAuth error (e.g. invalid_grant). */
  void refuse(String error) {
    refusal = error;
  }

  /** A service-account key file naming this endpoint, as the Cloud console makes them. */
  Path writeServiceAccountJson(Path file) throws IOException {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(account.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> json = new HashMap<>();
    json.put("type", "service_account");
    json.put("project_id", "farmapi-test");
    json.put("private_key_id", "0123456789abcdef");
    json.put("private_key", pem);
    json.put("client_email", CLIENT_EMAIL);
    json.put("client_id", "100000000000000000001");
    json.put("token_uri", tokenUri().toString());
    Files.writeString(file, JSON.writeValueAsString(json));
    return file;
  }

  private void token(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8));
      if (!"POST".equals(ex.getRequestMethod())
          || !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
        answer(ex, 400, "{\"error\": \"unsupported_grant_type\"}");
        return;
      }
      JsonNode claims = verified(form.get("assertion"));
      String wrong = claims == null ? "signature"
          : !CLIENT_EMAIL.equals(claims.path("iss").asText()) ? "iss"
          : !AUDIENCES.contains(claims.path("aud").asText()) && !tokenUri().toString()
              .equals(claims.path("aud").asText()) ? "aud=" + claims.path("aud").asText()
          : claims.path("exp").asLong() * 1000 < System.currentTimeMillis() ? "exp" : null;
      if (wrong != null) {
        answer(ex, 400, "{\"error\": \"invalid_grant\", \"error_description\": \"Invalid JWT: "
            + wrong + "\"}");
        return;
      }
      if (refusal != null) {
        answer(ex, 400, "{\"error\": \"" + refusal + "\", \"error_description\": \"refused\"}");
        return;
      }
      Duration life = lifetime;
      String token = tokens.apply(life);
      grants.add(new Grant(token, claims.path("scope").asText()));
      answer(ex, 200, JSON.writeValueAsString(Map.of("access_token", token,
          "expires_in", life.toSeconds(), "token_type", "Bearer")));
    } catch (Exception e) {
      answer(ex, 500, "{\"error\": \"server_error\"}");
    }
  }

  /** The assertion's claims if its RS256 signature is the account's, else null. */
  private JsonNode verified(String jwt) throws Exception {
    String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    Base64.Decoder b64 = Base64.getUrlDecoder();
    if (!"RS256".equals(JSON.readTree(b64.decode(parts[0])).path("alg").asText())) {
      return null;
    }
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify((RSAPublicKey) account.getPublic());
    rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    return rs256.verify(b64.decode(parts[2])) ? JSON.readTree(b64.decode(parts[1])) : null;
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static void answer(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
