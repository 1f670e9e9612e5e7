package dev.farmapi.server.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.server.FarmServer;
import dev.farmapi.server.ServerConfig;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.TestCertificates;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over HTTPS ({@code ServerConfig.tls}: a PEM certificate and PKCS#8 key made by
 * openssl for the test, signed by a private CA) with real peers that trust that CA: curl with
 * {@code --cacert}, and google-api-python-client over httplib2 with {@code ca_certs}. What they
 * stored is checked byte for byte by a JDK client trusting the same CA.
 */
class HttpsInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static TestCertificates certs;
  private static TestServer server;
  private static HttpClient jdk;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir.resolve("certs"));
    server = TestServer.start(dir.resolve("data"), b -> b.tls(certs.cert(), certs.key()));
    jdk = HttpClient.newBuilder().sslContext(certs.sslContext()).build();
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
  }

  @Test
  void curlWithTheCaUploadsAndDownloadsOverHttps() throws Exception {
    assertThat(server.uri().toString()).startsWith("https://127.0.0.1:");
    byte[] picture = FarmTestClient.randomBytes(300_001, 1);
    Path file = Files.write(dir.resolve("pig.png"), picture);

    String created = curl("--cacert", certs.ca().toString(), "-H", "Content-Type: image/png",
        "--data-binary", "@" + file, server.uri() + "upload/farm/v1/animals?uploadType=media");
    String id = JSON.readTree(created).path("id").asText();
    Path copy = dir.resolve("copy.png");
    curl("--cacert", certs.ca().toString(), "-o", copy.toString(),
        server.uri() + "farm/v1/animals/" + id + "?alt=media");

    assertThat(FarmTestClient.sha256(Files.readAllBytes(copy)))
        .isEqualTo(FarmTestClient.sha256(picture));
    assertThat(FarmTestClient.sha256(download(id))).isEqualTo(FarmTestClient.sha256(picture));
  }

  @Test
  void curlWithoutTheCaRefusesTheServer() throws Exception {
    Process p = new ProcessBuilder("curl", "-sS", server.uri() + "healthz")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(60); // curl: peer certificate not trusted
  }

  @Test
  void pythonClientWithCaCertsUploadsResumablyOverHttps() throws Exception {
    PythonRunner.requireClient();
    Path work = Files.createDirectories(dir.resolve("work"));
    byte[] picture = FarmTestClient.randomBytes(600_000, 2);
    Files.write(work.resolve("cow.png"), picture);

    PythonRunner.Result result = PythonRunner.against(server, work).run("upload.py", "cow.png",
        "--mimetype", "image/png", "--name", "Cow", "--resumable", "--chunksize", "262144",
        "--ca-certs", certs.ca().toString());

    JsonNode animal = result.json().get("animal");
    assertThat(animal.path("name").asText()).isEqualTo("Cow");
    assertThat(result.text()).contains("Uploaded 43%.", "Uploaded 87%.");
    assertThat(FarmTestClient.sha256(download(animal.path("id").asText())))
        .isEqualTo(FarmTestClient.sha256(picture));
  }

  @Test
  void aPkcs1RsaKeyServesToo() throws Exception {
    Path rsa = Files.createDirectories(dir.resolve("rsa"));
    TestCertificates.openssl(rsa, "genrsa", "-traditional", "-out", "server.key", "2048");
    TestCertificates.openssl(rsa, "req", "-new", "-key", "server.key", "-subj", "/CN=localhost",
        "-out", "server.csr");
    TestCertificates.openssl(rsa, "x509", "-req", "-in", "server.csr", "-CA",
        certs.ca().toString(), "-CAkey", certs.dir().resolve("ca.key").toString(),
        "-CAcreateserial", "-days", "2", "-extfile", certs.dir().resolve("server.ext").toString(),
        "-out", "server.pem");
    assertThat(Files.readString(rsa.resolve("server.key"))).startsWith("-----BEGIN RSA PRIVATE KEY");

    try (FarmServer rsaServer = FarmServer.start(ServerConfig.builder(dir.resolve("rsa-data"))
        .port(0).tls(rsa.resolve("server.pem"), rsa.resolve("server.key")).build())) {
      HttpResponse<String> health = jdk.send(HttpRequest.newBuilder(
          rsaServer.uri().resolve("healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedBeforeAnythingIsCreated() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    TestCertificates.openssl(other, "genpkey", "-algorithm", "EC", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-out", "other.key");
    Path data = dir.resolve("never-created");

    assertThatThrownBy(() -> FarmServer.start(ServerConfig.builder(data).port(0)
        .tls(certs.cert(), other.resolve("other.key")).build()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not the key of the first certificate in " + certs.cert());
    assertThatThrownBy(() -> FarmServer.start(ServerConfig.builder(data).port(0)
        .tls(certs.cert(), certs.cert()).build()))
        .hasMessageContaining("holds no private key");
    assertThat(data).doesNotExist();
  }

  private static byte[] download(String id) throws Exception {
    HttpResponse<byte[]> response = jdk.send(HttpRequest.newBuilder(
            server.uri().resolve("farm/v1/animals/" + id + "?alt=media"))
        .header("Authorization", "Bearer " + server.adminKey()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static String curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body",
        "-H", "Authorization: Bearer " + server.adminKey()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("curl %s: %s", command, out).isZero();
    return out;
  }
}
