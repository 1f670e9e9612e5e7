package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code farm demo} as a new user runs it: nothing set up, everything shown, exit 0. */
class DemoCommandTest {

  @Test
  void demoUploadsThroughInjectedFailuresAndVerifiesTheDownload() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      exit = Main.run("demo", "--pace", "0");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }

    String shown = stdout.toString(StandardCharsets.UTF_8);
    String progress = stderr.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(shown + progress).isZero();
    assertThat(shown)
        .contains("1. Started a Farm server at http://127.0.0.1:")
        .contains("The server injected 2 failures; the upload survived them")
        .contains("checksums verified, SHA-256 identical")
        .contains("Pig", "Sus domesticus")
        .contains("7. Stopped the server and deleted its data.");
    assertThat(progress).contains("retry 1 of 6", "retry 2 of 6", "pig.png: 4.1 MiB of 4.1 MiB (100%)");
  }
}
