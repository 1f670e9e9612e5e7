package dev.farmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.Credentials;
import dev.farmapi.apiclient.DownloadResult;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import dev.farmapi.server.FarmServer;
import dev.farmapi.server.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farm demo}: everything at once, with nothing set up. A server on a free port, a picture
 * drawn here, a resumable upload that survives failures the server is told to inject, the
 * picture downloaded back and verified, the farm listed, the server stopped.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Show it all in under a minute: serve, upload through failures, download, verify.")
final class DemoCommand implements Callable<Integer> {
  private static final long CHUNK = 512 * 1024;

  @Option(names = "--pace", defaultValue = "2M", paramLabel = "SIZE",
      description = "Upload at most this many bytes per second, so the progress can be watched;"
          + " 0 for full speed (default: ${DEFAULT-VALUE}).")
  Long pace;

  @Option(names = "--keep", description = "Keep the demo's data folder instead of deleting it.")
  boolean keep;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    long started = System.nanoTime();
    out.println("farm demo: a Farm server, a picture, a resumable upload through failures, and back.");
    quietServerLogs(); // the demo narrates what the server does
    Path dir = Files.createTempDirectory("farm-demo-");
    try (FarmServer server = FarmServer.start(ServerConfig.builder(dir.resolve("data"))
        .port(0).faultInjection(true).shutdownGrace(Duration.ofSeconds(2)).build())) {
      URI root = server.uri();
      out.println("1. Started a Farm server at " + root + " (data in " + dir + ")");

      Path picture = DemoPicture.draw(dir.resolve("pig.png"), 42);
      long size = Files.size(picture);
      out.println("2. Drew a picture: " + picture.getFileName() + ", " + DemoPicture.WIDTH + "x"
          + DemoPicture.HEIGHT + " PNG, " + Sizes.format(size));

      ApiClient client = Farm.clientBuilder()
          .credentials(Credentials.bearer(server.newAdminKey().orElseThrow()))
          .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(200), Duration.ofSeconds(2)))
          .retryListener(new RetryNotes(output, System.err))
          .build();
      Farm farm = Farm.connect(root, client);
      String test = scriptFailures(client, root);
      out.println("3. Told the server to fail: cut a chunk after 300 KiB with a 503, then reset"
          + " the connection of the next request");

      out.println("4. Uploading it resumably in " + Sizes.format(CHUNK) + " chunks"
          + (pace > 0 ? ", paced to " + Sizes.format(pace) + "/s so you can watch" : "") + ":");
      out.flush();
      Animal pig = upload(farm, picture, size, test);
      out.println("   Uploaded as animal " + pig.id() + ": " + Sizes.format(pig.mediaSize())
          + ", the server's crc32c " + pig.crc32c() + " matches the picture's");
      out.println("   The server injected " + firedFailures(client, root, test)
          + " failures; the upload survived them");

      Path copy = dir.resolve("pig-downloaded.png");
      DownloadResult result = farm.animals().download(pig.id(), copy).withChunkSize(CHUNK).execute();
      boolean identical = sha256(copy).equals(sha256(picture));
      out.println("5. Downloaded it back: " + Sizes.format(result.size()) + ", "
          + (result.verified() ? "checksums verified" : "NOT verified") + ", SHA-256 "
          + (identical ? "identical" : "DIFFERENT"));

      out.println("6. The farm now holds:");
      for (Animal animal : farm.animals().all(100)) {
        out.printf("   %-16s  %-6s  %-16s  %10s  %s%n", animal.id(), animal.name(),
            animal.species(), Sizes.format(animal.mediaSize()), animal.mediaContentType());
      }
      if (!identical || !result.verified()) {
        throw new Failures.CommandFailure(ExitCodes.INTEGRITY, "the downloaded picture differs");
      }
    } finally {
      if (!keep) {
        deleteTree(dir);
      }
    }
    out.printf("7. Stopped the server%s. Done in %.1f s.%n",
        keep ? " (its data is kept in " + dir + ")" : " and deleted its data",
        (System.nanoTime() - started) / 1e9);
    return ExitCodes.OK;
  }

  /** A retry test: the initiation passes; a chunk is cut with a 503; the next request is reset. */
  private static String scriptFailures(ApiClient client, URI root) throws IOException {
    JsonNode test = client.request("POST", root.resolve("retry_test"))
        .body(Map.of("instructions", Map.of("farm.animals.insert",
            List.of("stall-for-0s-after-0K", "return-503-after-300K", "return-reset-connection"))))
        .build().execute();
    return test.get("id").asText();
  }

  private static long firedFailures(ApiClient client, URI root, String test) throws IOException {
    JsonNode state = client.request("GET", root.resolve("retry_test/" + test)).build().execute();
    return 2 - state.at("/instructions/farm.animals.insert").size();
  }

  private Animal upload(Farm farm, Path picture, long size, String test) throws IOException {
    MediaFileUpload file = MediaFileUpload.of(picture).withChunkSize(CHUNK).resumable();
    try (ProgressView progress = ProgressView.open("pig.png", 0, OptionalLong.of(size), output,
        System.err)) {
      HttpRequest<Animal> request = farm.animals()
          .prepareInsert(new Animal("Pig").withSpecies("Sus domesticus"),
              pace > 0 ? new ThrottledMedia(file, new RateLimit(pace), 0) : file)
          .header("x-retry-test-id", test) // the session remembers it for its chunks
          .progressListener(p -> progress.update(p.bytesUploaded(), p.totalSize()))
          .build();
      return request.execute();
    }
  }

  private static void quietServerLogs() {
    if (org.slf4j.LoggerFactory.getLogger("dev.farmapi.server")
        instanceof ch.qos.logback.classic.Logger server) {
      server.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
