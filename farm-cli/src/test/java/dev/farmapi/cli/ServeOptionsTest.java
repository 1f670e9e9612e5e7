package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code farm serve}'s limit flags reach the server's configuration as typed, their defaults are
 * the documented ones, and an unusable value is a one-line usage error that creates nothing.
 */
class ServeOptionsTest {
  @TempDir Path dir;

  private static ServerConfig parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve)
        .registerConverter(Long.class, Sizes::parseBytes)
        .registerConverter(Duration.class, Sizes::parseDuration)
        .parseArgs(args);
    return serve.config();
  }

  @Test
  void limitFlagsReachTheServersConfiguration() {
    ServerConfig c = parse("--data", dir.toString(), "--max-requests", "100",
        "--max-requests-per-farm", "7", "--workers", "5", "--min-body-rate", "0",
        "--body-timeout", "5s", "--max-connections", "50", "--max-connections-per-address", "4");

    assertThat(c.maxConcurrentRequests()).isEqualTo(100);
    assertThat(c.maxRequestsPerFarm()).isEqualTo(7);
    assertThat(c.workers()).isEqualTo(5);
    assertThat(c.minBodyRate()).isZero();
    assertThat(c.bodyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.maxConnections()).isEqualTo(50);
    assertThat(c.maxConnectionsPerAddress()).isEqualTo(4);
  }

  @Test
  void defaultsAreTheDocumentedOnesAndAFarmGetsHalfTheRequests() {
    ServerConfig c = parse("--data", dir.toString());

    assertThat(c.maxConcurrentRequests()).isEqualTo(2048);
    assertThat(c.maxRequestsPerFarm()).isEqualTo(1024);
    assertThat(c.workers()).isEqualTo(64);
    assertThat(c.minBodyRate()).isEqualTo(500);
    assertThat(c.bodyTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.maxConnectionsPerAddress()).as("off behind a balancer").isZero();
    assertThat(parse("--data", dir.toString(), "--max-requests", "10").maxRequestsPerFarm())
        .isEqualTo(5);
  }

  @Test
  void aWorkerPoolOfNoneIsAOneLineUsageErrorThatCreatesNothing() {
    Path data = dir.resolve("farm-data");

    CliRun run = CliRun.of("serve", "--data", data.toString(), "--port", "0", "--workers", "0");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().lines()).hasSize(1).first().asString()
        .startsWith("farm: limits must be positive");
    assertThat(Files.exists(data)).isFalse();
  }
}
