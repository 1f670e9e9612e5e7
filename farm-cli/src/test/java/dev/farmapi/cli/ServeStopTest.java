package dev.farmapi.cli;

import static dev.farmapi.cli.ServeCrashTest.acknowledged;
import static dev.farmapi.cli.ServeCrashTest.assertStored;
import static dev.farmapi.cli.ServeCrashTest.finish;
import static dev.farmapi.cli.ServeCrashTest.offset;
import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm serve} on SIGTERM: a graceful stop, and a restart with the data intact. */
class ServeStopTest {
  private static final int KIB_512 = 512 * 1024;
  private static final int MIB = 1024 * 1024;

  @TempDir Path tmp;
  private ServeProcess serve;

  @AfterEach
  void stop() throws InterruptedException {
    serve.close();
  }

  @Test
  void sigtermStopsTheServerCleanlyAndItRestartsWithTheDataIntact() throws Exception {
    Path data = tmp.resolve("data");
    serve = ServeProcess.start(data, tmp.resolve("serve.log"));
    assertThat(serve.stdout()).anySatisfy(line ->
        assertThat(line).startsWith("Admin API key").endsWith(serve.adminKey()));
    FarmTestClient farm = serve.client();
    byte[] done = randomBytes(MIB + 17, 1);
    JsonNode complete = finish(farm,
        farm.initiate("{\"name\": \"Calm Camel\"}", "image/png", done.length), done, 0);
    byte[] partial = randomBytes(2 * MIB + 5, 2);
    String session = farm.initiate("{\"name\": \"Patient Panda\"}", "image/png", partial.length);
    long acked = acknowledged(farm.putChunk(session, 0,
        Arrays.copyOfRange(partial, 0, 2 * KIB_512), partial.length));

    int status = serve.terminate();

    // A clean stop. On this JVM the status is 143 (128 + SIGTERM): the signal starts the exit
    // and farm serve's shutdown hook stops the server; main's own System.exit(0) comes second.
    assertThat(status).isIn(ServeProcess.SIGTERM_EXIT, 0);
    assertThat(serve.isAlive()).isFalse();
    assertThat(serve.stderr()).doesNotContain("stopping the server failed").doesNotContain("ERROR");
    assertThat(serve.stderr()).as("said when stopped by SIGTERM").contains("Farm server stopped");
    // The hook closed the database: SQLite checkpointed its WAL and removed it.
    assertThat(data.resolve("farm.db-wal")).doesNotExist();

    serve = ServeProcess.start(data, tmp.resolve("serve.log"));
    farm = serve.client();
    assertThat(serve.stdout()).noneMatch(line -> line.startsWith("Admin API key"));
    assertStored(farm, complete, done, "Calm Camel");
    assertThat(offset(farm, session, partial.length)).isEqualTo(acked);
    assertStored(farm, finish(farm, session, partial, acked), partial, "Patient Panda");
  }
}
