package dev.farmapi.apiclient.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.Engine;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.apiclient.ServerUnreachableException;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.media.MediaStreamUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What our HTTP/1.1 engine does on the wire that the protocol suites cannot see: connection
 * reuse, framing of bodies of unknown length, the write-side idle timeout, proxies, TLS. Each
 * test runs against a {@link ScriptedPeer} on a real socket.
 */
class Http1EngineTest {
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      + "Content-Length: 2\r\n\r\n{}";

  @TempDir Path dir;

  private static ApiClient.Builder http1() {
    return ApiClient.builder().engine(Engine.HTTP1).retryPolicy(RetryPolicy.none());
  }

  @Test
  void consecutiveRequestsShareOneKeptAliveConnection() throws Exception {
    try (ScriptedPeer peer = ScriptedPeer.start(ScriptedPeer.answering(OK))) {
      ApiClient client = http1().build();
      for (int i = 0; i < 3; i++) {
        client.request("GET", peer.uri("/farm/v1/animals?n=" + i)).build().execute();
      }
      client.request("POST", peer.uri("/farm/v1/animals")).body(java.util.Map.of("name", "Pig"))
          .build().execute();

      assertThat(peer.connections.get()).isEqualTo(1);
      assertThat(peer.requests).extracting(ScriptedPeer.Request::line).containsExactly(
          "GET /farm/v1/animals?n=0 HTTP/1.1", "GET /farm/v1/animals?n=1 HTTP/1.1",
          "GET /farm/v1/animals?n=2 HTTP/1.1", "POST /farm/v1/animals HTTP/1.1");
      assertThat(new String(peer.requests.get(3).body())).isEqualTo("{\"name\":\"Pig\"}");
    }
  }

  @Test
  void aConnectionTheServerClosedWhileIdleIsReplacedWithoutARetry() throws Exception {
    ScriptedPeer.Script answerOnceThenClose = (socket, peer) -> {
      peer.read(socket.getInputStream());
      socket.getOutputStream().write(OK.getBytes());
      socket.getOutputStream().flush();
    }; // and the socket closes: the client's kept connection is dead
    try (ScriptedPeer peer = ScriptedPeer.start(answerOnceThenClose)) {
      List<Object> retries = new CopyOnWriteArrayList<>();
      ApiClient client = http1().retryListener(retries::add).build();
      for (int i = 0; i < 3; i++) {
        client.request("GET", peer.uri("/x")).build().execute();
        Thread.sleep(50); // the close reaches the client's idle connection
      }

      assertThat(peer.connections.get()).isEqualTo(3);
      assertThat(retries).isEmpty();
    }
  }

  @Test
  void mediaOfUnknownSizeInOneRequestIsSentChunkedAndArrivesWhole() throws Exception {
    byte[] picture = new byte[700_000];
    new Random(7).nextBytes(picture);
    try (ScriptedPeer peer = ScriptedPeer.start(ScriptedPeer.answering(OK))) {
      MediaStreamUpload media = MediaStreamUpload.of(new ByteArrayInputStream(picture),
          "image/png");
      http1().build().request("POST", peer.uri("/farm/v1/animals"))
          .media(media, peer.uri("/upload/farm/v1/animals")).build().execute();

      ScriptedPeer.Request sent = peer.requests.get(0);
      assertThat(sent.headers()).containsEntry("Transfer-Encoding", "chunked")
          .doesNotContainKey("Content-Length");
      assertThat(sent.body()).isEqualTo(picture);
    }
  }

  @Test
  void aServerThatStopsReadingFailsTheUploadAfterTheIdleTimeout() throws Exception {
    ScriptedPeer.Script neverRead = (socket, peer) -> {
      try {
        Thread.sleep(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (ScriptedPeer peer = ScriptedPeer.start(neverRead)) {
      ApiClient client = http1().idleTimeout(Duration.ofSeconds(1)).build();
      MediaInMemoryUpload big = MediaInMemoryUpload.of(new byte[64 << 20], "image/png");
      long start = System.nanoTime();

      assertThatThrownBy(() -> client.request("POST", peer.uri("/farm/v1/animals"))
          .media(big, peer.uri("/upload/farm/v1/animals")).build().execute())
          .isInstanceOf(HttpTimeoutException.class)
          .hasMessageContaining("nothing moved for 1.0 s sending the request");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void anAnswerSentBeforeTheBodyWasReadIsWhatTheCallerGets() throws Exception {
    String refusal = "{\"error\":{\"code\":401,\"message\":\"API key not valid\","
        + "\"errors\":[{\"reason\":\"unauthorized\"}]}}";
    ScriptedPeer.Script refuseAfterTheHead = (socket, peer) -> {
      java.io.InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.read());
      }
      socket.getOutputStream().write(("HTTP/1.1 401 Unauthorized\r\nContent-Type: "
          + "application/json\r\nContent-Length: " + refusal.length() + "\r\nConnection: "
          + "close\r\n\r\n" + refusal).getBytes());
      socket.getOutputStream().flush();
      socket.shutdownOutput();
      try {
        Thread.sleep(300); // the answer reaches the client before the close resets it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }; // closed with the body unread: the client's write breaks
    try (ScriptedPeer peer = ScriptedPeer.start(refuseAfterTheHead)) {
      List<Object> retries = new CopyOnWriteArrayList<>();
      ApiClient client = ApiClient.builder().engine(Engine.HTTP1).retryListener(retries::add)
          .build();
      MediaInMemoryUpload big = MediaInMemoryUpload.of(new byte[32 << 20], "image/png");

      assertThatThrownBy(() -> client.request("POST", peer.uri("/farm/v1/animals"))
          .media(big, peer.uri("/upload/farm/v1/animals")).build().execute())
          .isInstanceOfSatisfying(dev.farmapi.apiclient.HttpError.class, e -> {
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.reason()).isEqualTo("unauthorized");
          });
      assertThat(retries).as("a 401 is not retried like a broken connection").isEmpty();
    }
  }

  @Test
  void aRequestForAProxyGoesThroughTheJdkEngineToTheProxy() throws Exception {
    ProxySelector original = ProxySelector.getDefault();
    try (ScriptedPeer proxy = ScriptedPeer.start(ScriptedPeer.answering(OK))) {
      ProxySelector.setDefault(new ProxySelector() {
        @Override
        public List<Proxy> select(URI uri) {
          return uri.getHost().equals("farm.example")
              ? List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(
                  InetAddress.getLoopbackAddress(), proxy.port())))
              : List.of(Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException e) {}
      });
      JsonNode answer = http1().build()
          .request("GET", URI.create("http://farm.example/farm/v1/animals")).build().execute();

      assertThat(answer.isObject()).isTrue();
      assertThat(proxy.requests.get(0).line())
          .as("an HTTP proxy is sent the absolute URI")
          .isEqualTo("GET http://farm.example/farm/v1/animals HTTP/1.1");
    } finally {
      ProxySelector.setDefault(original);
    }
  }

  @Test
  void httpsWorksWithTheCertificatesCaAndAnUntrustedOneIsSaidInWords() throws Exception {
    Path keystore = selfSignedKeystore(dir);
    char[] password = "changeit".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, password);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(ks, password);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keys.getKeyManagers(), null, null);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(ks);
    SSLContext clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, trust.getTrustManagers(), null);

    SSLServerSocket server = (SSLServerSocket) serverTls.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    try (ScriptedPeer peer = new ScriptedPeer(server, ScriptedPeer.answering(OK))) {
      URI uri = URI.create("https://127.0.0.1:" + peer.port() + "/farm/v1/animals");
      ApiClient trusting = http1().sslContext(clientTls).build();
      byte[] picture = new byte[3_000_000];
      new Random(3).nextBytes(picture);
      for (int i = 0; i < 2; i++) {
        trusting.request("POST", uri).media(MediaInMemoryUpload.of(picture, "image/png"), uri)
            .build().execute();
      }

      assertThat(peer.requests).hasSize(2);
      assertThat(peer.requests.get(1).body()).isEqualTo(picture);
      assertThat(peer.connections.get()).as("TLS connections are kept too").isEqualTo(1);
      assertThatThrownBy(() -> http1().build().request("GET", uri).build().execute())
          .isInstanceOf(ServerUnreachableException.class)
          .hasMessageStartingWith("the TLS certificate of 127.0.0.1:" + peer.port()
              + " is not trusted");
    }
  }

  @Test
  void headersTheEngineFramesItselfAreRefusedAsTheJdkClientRefusesThem() {
    ApiClient client = http1().build();
    for (String name : List.of("Host", "content-length", "Transfer-Encoding", "Connection")) {
      assertThatThrownBy(() -> client.request("GET", URI.create("http://127.0.0.1:9/"))
          .header(name, "x").build().execute())
          .as(name).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("restricted header name");
    }
  }

  /** A PKCS12 keystore with a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
  static Path selfSignedKeystore(Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "farm", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
        "-keystore", keystore.toString(), "-storepass", "changeit", "-storetype", "PKCS12")
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();
    return keystore;
  }
}
