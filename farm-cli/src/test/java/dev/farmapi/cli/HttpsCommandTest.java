package dev.farmapi.cli;

import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static dev.farmapi.server.testing.FarmTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.TestCertificates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm serve --tls-cert --tls-key} as a process, with certificates openssl made for the
 * test, and the farm client commands over HTTPS trusting its private CA with {@code --cacert}.
 */
class HttpsCommandTest {
  @TempDir static Path dir;
  private static TestCertificates certs;
  private static ServeProcess serve;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir.resolve("certs"));
    serve = ServeProcess.start(dir.resolve("data"), dir.resolve("serve.log"), List.of(
        "--tls-cert", certs.cert().toString(), "--tls-key", certs.key().toString()));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    serve.close();
  }

  @Test
  void uploadListAndDownloadOverHttpsWithTheCa() throws Exception {
    assertThat(serve.uri().toString()).startsWith("https://127.0.0.1:");
    byte[] picture = randomBytes(700_000, 1);
    Path file = Files.write(dir.resolve("pig.png"), picture);

    CliRun up = run("upload", file.toString(), "--chunk-size", "256K", "--json",
        "--cache-dir", dir.resolve("cache").toString());

    assertThat(up.exit()).as("%s", up).isZero();
    String id = UploadFixture.json(up.out()).path("id").asText();
    CliRun list = run("animals", "list", "--json");
    assertThat(list.exit()).as("%s", list).isZero();
    JsonNode items = UploadFixture.json(list.out());
    assertThat(items.get(0).path("id").asText()).isEqualTo(id);
    Path copy = dir.resolve("copy.png");
    CliRun down = run("download", id, "-o", copy.toString());
    assertThat(down.exit()).as("%s", down).isZero();
    assertThat(sha256(Files.readAllBytes(copy))).isEqualTo(sha256(picture));
  }

  @Test
  void withoutTheCaTheServerIsNotTrustedInOneLine() {
    CliRun run = CliRun.of("animals", "list", "--server", serve.uri().toString(),
        "--key", serve.adminKey(), "--retries", "0");

    URI uri = serve.uri();
    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.SERVER);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("farm: the TLS certificate of " + uri.getHost() + ":" + uri.getPort()
            + " is not trusted for '" + uri.getHost() + "'")
        .endsWith("pass the CA that signed it (--cacert FILE)");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aCaFileThatHoldsNoCertificateIsAUsageError() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");

    CliRun run = CliRun.of("animals", "list", "--server", serve.uri().toString(),
        "--key", serve.adminKey(), "--cacert", notPem.toString());

    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.USAGE);
    assertThat(run.errLines()).containsExactly("farm: --cacert " + notPem + " holds no"
        + " certificate (PEM: -----BEGIN CERTIFICATE-----)");
  }

  private static CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", serve.uri().toString(), "--key", serve.adminKey(),
        "--cacert", certs.ca().toString()));
    return CliRun.of(all.toArray(String[]::new));
  }
}
