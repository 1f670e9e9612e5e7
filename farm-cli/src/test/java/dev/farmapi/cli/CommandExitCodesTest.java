package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.TestServer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit codes of the client commands, which scripts rely on: each failure in one line on
 * stderr, nothing on stdout.
 */
class CommandExitCodesTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  @TempDir Path dir;

  @Test
  void aKeyTheServerRefusesIsAnAuthFailureWithAHint() {
    for (List<String> command : List.of(List.of("animals", "list"),
        List.of("animals", "get", "abc"), List.of("download", "abc", "-o", dir.toString()))) {
      CliRun run = CliRun.of(with(command, "--server", server.uri().toString(), "--key", "nope"));

      assertThat(run.exit()).as("%s: %s", command, run).isEqualTo(ExitCodes.AUTH);
      assertThat(run.out()).isEmpty();
      assertThat(run.errLines()).as("every failure is one line").singleElement().asString()
          .startsWith("farm: HTTP 401").contains("farm keys create --farm NAME");
    }
  }

  @Test
  void aServerThatIsNotThereFailsWithinTwoSecondsSayingNothingListensThere() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String down = "http://127.0.0.1:" + closedPort + "/";
    Path picture = Files.write(dir.resolve("pig.png"), new byte[1024]);
    // No --retries: a server that never answered is not waited for, whatever the policy.
    for (List<String> command : List.of(List.of("animals", "list"),
        List.of("download", "abc", "-o", dir.resolve("out").toString()),
        List.of("upload", picture.toString()))) {
      long start = System.nanoTime();
      CliRun run = CliRun.of(with(command, "--server", down, "--key", "k"));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(run.exit()).as("%s: %s", command, run).isEqualTo(ExitCodes.SERVER);
      assertThat(run.errLines()).as("%s", command).containsExactly("farm: nothing is listening at"
          + " 127.0.0.1:" + closedPort + " (connection refused); is 'farm serve' running?");
    }
  }

  @Test
  void aServerNameThatDoesNotResolveIsSaidSoAtOnce() {
    long start = System.nanoTime();
    CliRun run = CliRun.of("animals", "list", "--server", "http://no-such-farm.invalid:8080/",
        "--key", "k");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.SERVER);
    assertThat(run.errLines()).containsExactly(
        "farm: the host name 'no-such-farm.invalid' did not resolve (DNS)");
  }

  @Test
  void httpsToAPlainHttpServerSaysToUseHttp() {
    String https = server.uri().toString().replace("http://", "https://");
    CliRun run = CliRun.of("animals", "list", "--server", https, "--key", server.adminKey());

    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.SERVER);
    assertThat(run.errLines()).containsExactly("farm: the server at "
        + server.uri().getHost() + ":" + server.uri().getPort()
        + " does not speak TLS: use http:// rather than https://");
  }

  @Test
  void aDownloadWhoseBytesAreNotTheServersChecksumIsAnIntegrityFailureAndSavesNothing()
      throws Exception {
    byte[] picture = "the real picture".getBytes(StandardCharsets.UTF_8);
    String lie = md5("another picture");
    try (MockWebServer peer = new MockWebServer()) {
      peer.setDispatcher(new LyingFarm(picture, lie));
      peer.start();
      Path file = dir.resolve("pig.png");

      CliRun run = CliRun.of("download", "pig", "-o", file.toString(),
          "--server", peer.url("/").toString(), "--key", "k");

      assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.INTEGRITY);
      assertThat(run.out()).isEmpty();
      assertThat(run.errLines()).last().asString().isEqualTo("farm: the picture downloaded"
          + " does not match the server's md5 (the server says " + lie + ", the bytes have "
          + md5("the real picture") + "): discarded, nothing saved");
      try (var left = Files.list(dir)) {
        assertThat(left).isEmpty(); // neither the file nor FILE.part
      }
    }
  }

  @Test
  void usageErrorsExitWithTwoAndSayWhatIsWrong() {
    String s = server.uri().toString();
    assertUsage(CliRun.of("download"), "Missing required parameter: 'ID'");
    assertUsage(CliRun.of("animals", "get"), "Missing required parameter: 'ID'");
    assertUsage(CliRun.of("animals", "list", "--max", "0", "--server", s, "--key", "k"),
        "--max must be at least 1");
    assertUsage(CliRun.of("animals", "list", "--max", "lots"), "Invalid value for option '--max'");
    assertUsage(CliRun.of("animals", "frobnicate"), "Unmatched argument");
    assertUsage(CliRun.of("animals"), "Missing required subcommand");
    assertUsage(CliRun.of("animals", "list", "--server", "not a url", "--key", "k"),
        "farm: --server 'not a url' is not a URL like http://127.0.0.1:8080/");
    assertUsage(CliRun.of("download", "x", "--server", "localhost:8080", "--key", "k"),
        "farm: --server 'localhost:8080' is not a URL like http://127.0.0.1:8080/");
  }

  @Test
  void helpIsEverywhereAndVersionAtTheTop() {
    for (List<String> command : List.of(List.<String>of(), List.of("animals"),
        List.of("animals", "list"), List.of("animals", "get"), List.of("animals", "patch"),
        List.of("animals", "delete"), List.of("download"))) {
      CliRun help = CliRun.of(with(command, "--help"));

      assertThat(help.exit()).as("%s", command).isZero();
      assertThat(help.out()).startsWith("Usage: farm" + (command.isEmpty() ? "" : " ")
          + String.join(" ", command));
    }
    CliRun version = CliRun.of("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("farm ");
  }

  private static void assertUsage(CliRun run, String message) {
    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(message);
  }

  private static String[] with(List<String> command, String... more) {
    return java.util.stream.Stream.concat(command.stream(), List.of(more).stream())
        .toArray(String[]::new);
  }

  private static String md5(String text) throws Exception {
    return Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A Farm server for one animal "pig", whose picture's X-Goog-Hash is a lie. */
  private static final class LyingFarm extends Dispatcher {
    private final byte[] picture;
    private final String md5;

    LyingFarm(byte[] picture, String md5) {
      this.picture = picture;
      this.md5 = md5;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String target = request.getTarget();
      if (target.equals("/farm/v1/animals/pig")) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
            .body("{\"id\": \"pig\", \"name\": \"Pig\", \"mediaContentType\": \"image/png\","
                + " \"mediaSize\": \"" + picture.length + "\", \"md5Hash\": \"" + md5 + "\"}")
            .build();
      }
      if (target.equals("/farm/v1/animals/pig?alt=media")) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "image/png")
            .addHeader("ETag", "\"v1\"").addHeader("X-Goog-Hash", "md5=" + md5)
            .body(new Buffer().write(picture)).build();
      }
      return new MockResponse.Builder().code(404).build();
    }
  }
}
