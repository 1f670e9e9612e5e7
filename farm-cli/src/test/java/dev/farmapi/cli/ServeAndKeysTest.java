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
    Run bad = run("keys", "create", "--farm", "Bad Name", "--data", dir.resolve("d").toString());

    assertThat(bad.exit).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err).contains("farm name 'Bad Name' is invalid");
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
