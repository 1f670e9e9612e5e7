package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.server.testing.FarmTestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code farm serve}'s first start and {@code farm keys create}, as a user runs them. */
class ServeAndKeysTest {
  @TempDir Path dir;

  @Test
  void firstStartPrintsTheAdminKeyOnceAndSavesItForTheOwnerOnly() throws Exception {
    Path data = dir.resolve("data");
    String key;
    try (ServeProcess server = ServeProcess.start(data, dir.resolve("first.log"))) {
      key = server.adminKey();
      assertThat(server.stdout()).anyMatch(line -> line.startsWith("Admin API key") && line.endsWith(key));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin.key"))))
          .isEqualTo("rw-------");
      assertThat(server.client().listIds()).isEmpty(); // the key works
    }
    try (ServeProcess again = ServeProcess.start(data, dir.resolve("second.log"))) {
      assertThat(again.stdout()).noneMatch(line -> line.contains("Admin API key"));
      assertThat(again.adminKey()).isEqualTo(key);
    }
  }

  @Test
  void keysCreateMakesAKeyOfItsOwnFarmWhileTheServerRuns() throws Exception {
    Path data = dir.resolve("data");
    try (ServeProcess server = ServeProcess.start(data, dir.resolve("serve.log"))) {
      server.client().insertSimple(new byte[] {1, 2, 3}, "image/png");

      Run created = run("keys", "create", "--farm", "barn", "--data", data.toString());

      assertThat(created.exit).isZero();
      FarmTestClient barn = FarmTestClient.of(server.uri(), created.out.trim());
      assertThat(barn.listIds()).isEmpty(); // a new farm sees none of the default farm's animals
      assertThat(server.client().listIds()).hasSize(1);
    }
  }

  @Test
  void keysCreateRefusesABadFarmNameWithTheUsageExitCode() {
    Run bad = run("keys", "create", "--farm", "Bad Name", "--data", dir.resolve("d").toString(),
        "--init");

    assertThat(bad.exit).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err).contains("farm name 'Bad Name' is invalid");
  }

  @Test
  void keysCreateRefusesAFolderThatIsNotAFarmDataFolderUnlessInit() throws Exception {
    Path typo = dir.resolve("farm-dta");
    Path notFarm = Files.createDirectories(dir.resolve("photos"));

    Run missing = run("keys", "create", "--farm", "barn", "--data", typo.toString());
    Run other = run("keys", "create", "--farm", "barn", "--data", notFarm.toString());

    assertThat(missing.exit).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err.lines()).containsExactly("farm: " + typo + " does not exist; give the"
        + " --data of the running 'farm serve', or --init to make a new data folder");
    assertThat(missing.out).isEmpty();
    assertThat(typo).doesNotExist();
    assertThat(other.exit).isEqualTo(ExitCodes.USAGE);
    assertThat(other.err).contains(notFarm + " is not a Farm data folder (it has no farm.db)");
    try (var files = Files.list(notFarm)) {
      assertThat(files).isEmpty();
    }

    Run init = run("keys", "create", "--farm", "barn", "--data", typo.toString(), "--init");

    assertThat(init.exit).isZero();
    assertThat(init.out.trim()).startsWith("farm_");
    assertThat(typo.resolve("farm.db")).exists();
    assertThat(run("keys", "create", "--farm", "shed", "--data", typo.toString()).exit).isZero();
  }

  @Test
  void serveOnABusyPortOrAnAddressNotOfThisMachineSaysSoAndCreatesNothing() throws Exception {
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      Path data = dir.resolve("busy-data");
      try (CliProcess serve = CliProcess.start(java.util.Map.of(), java.util.List.of("serve",
          "--port", String.valueOf(busy.getLocalPort()), "--data", data.toString()))) {
        assertThat(serve.waitFor(Duration.ofSeconds(60))).as("%s", serve)
            .isEqualTo(ExitCodes.USAGE);
        assertThat(serve.err().lines().filter(l -> l.startsWith("farm: ")).toList())
            .containsExactly("farm: cannot listen on 127.0.0.1:" + busy.getLocalPort()
                + ": the port is in use (another server? pick one with --port)");
        assertThat(serve.out()).isEmpty();
      }
      assertThat(data).as("no data folder, no admin.key").doesNotExist();
    }
    Path data = dir.resolve("bind-data");
    // TEST-NET-1 (RFC 5737): an address no machine here has; binding sends nothing anywhere.
    try (CliProcess serve = CliProcess.start(java.util.Map.of(), java.util.List.of("serve",
        "--port", "0", "--bind", "192.0.2.1", "--data", data.toString()))) {
      assertThat(serve.waitFor(Duration.ofSeconds(60))).as("%s", serve)
          .isEqualTo(ExitCodes.USAGE);
      assertThat(serve.err()).contains("farm: cannot listen on 192.0.2.1:0: this machine has no"
          + " address 192.0.2.1 (see --bind)");
    }
    assertThat(data).doesNotExist();
  }

  @Test
  void sizesAndDurationsReadTheWayUsersWriteThem() {
    assertThat(Sizes.parseBytes("256K")).isEqualTo(256L << 10);
    assertThat(Sizes.parseBytes("8M")).isEqualTo(8L << 20);
    assertThat(Sizes.parseBytes("1g")).isEqualTo(1L << 30);
    assertThat(Sizes.parseBytes("5TiB")).isEqualTo(5L << 40);
    assertThat(Sizes.parseBytes("1234")).isEqualTo(1234L);
    assertThatThrownBy(() -> Sizes.parseBytes("1.5M")).isInstanceOf(CommandLine.TypeConversionException.class);
    assertThatThrownBy(() -> Sizes.parseBytes("9999999T")).hasMessageContaining("too large");
    assertThat(Sizes.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Sizes.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Sizes.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Sizes.parseDuration("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
  }

  private record Run(int exit, String out, String err) {}

  /** Runs the command in this JVM, capturing what it prints. */
  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
