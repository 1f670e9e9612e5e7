package dev.farmapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads from the page in Chromium, each checked where it counts: the bytes the server stores,
 * by hash through the API. Loopback is too fast to watch, so DevTools throttles the browser's
 * uploads where a test needs time to act mid-upload.
 */
class ResumableUploadPageTest {
  static final long MiB = 1 << 20;
  static final long CHUNK = 8 * MiB;

  @RegisterExtension static final TestServer server = TestServer.perClass();
  @RegisterExtension static final Chromium chromium = new Chromium();

  @TempDir Path dir;
  TestFarm farm;
  FarmPage page;

  @BeforeEach
  void signIn() throws Exception {
    chromium.resetNetwork();
    farm = TestFarm.create(server);
    page = new FarmPage(chromium, server.uri()).openFresh().openWithKey(farm.key());
    page.recordStates();
  }

  /** Picks {@code file} with uploads capped at {@code bytesPerSecond}; returns once {@code sent}. */
  private void startThrottled(Path file, long bytesPerSecond, long sent) {
    chromium.throttleUploads(bytesPerSecond);
    page.pick(file);
    page.awaitSent(file.getFileName().toString(), sent, Duration.ofSeconds(20));
  }

  private FarmPage.Row awaitVerified(String fileName) {
    FarmPage.Row done = page.awaitState(fileName, "done", Duration.ofSeconds(90));
    assertThat(done.status()).contains("verified (CRC32C");
    return done;
  }

  private void assertStoredExactly(String name, Path file) throws Exception {
    JsonNode animal = farm.animalNamed(name);
    assertThat(animal.get("mediaSize").asLong()).isEqualTo(Files.size(file));
    assertThat(farm.storedSha256(animal)).as(name).isEqualTo(TestFiles.sha256(file));
  }

  @Test
  void threeFilesAtOnceArriveByteExactAndShowInTheGallery() throws Exception {
    Path pig = TestFiles.picture(dir, "Pig.png", new Color(240, 160, 170), 640, 480, false);
    Path sheep = TestFiles.picture(dir, "Sheep.png", new Color(245, 245, 235), 2800, 2000, true);
    Path cow = TestFiles.picture(dir, "Cow.png", new Color(120, 80, 50), 1800, 1400, true);
    assertThat(Files.size(sheep)).isGreaterThan(CHUNK); // at least two chunks
    for (String[] animal : new String[][] {{"Goose", "goose"}, {"Horse", "horse"}}) {
      Path picture = TestFiles.picture(dir, animal[0] + ".png",
          animal[0].equals("Goose") ? Color.WHITE : new Color(150, 100, 60), 640, 480, false);
      farm.api().insertMultipart("{\"name\":\"" + animal[0] + "\",\"species\":\"" + animal[1]
          + "\"}", Files.readAllBytes(picture), "image/png");
    }
    page.openWithKey(farm.key()); // the gallery shows them: the screenshot below has both
    page.recordStates();
    chromium.throttleUploads(12 * MiB); // shared by the three: about two seconds

    page.pick(pig, sheep, cow);
    page.awaitSent("Cow.png", 2 * MiB, Duration.ofSeconds(20));
    chromium.screenshot("upload-in-progress");
    for (String name : List.of("Pig.png", "Sheep.png", "Cow.png")) {
      awaitVerified(name);
    }

    assertStoredExactly("Pig", pig);
    assertStoredExactly("Sheep", sheep);
    assertStoredExactly("Cow", cow);
    // At once: the three were uploading side by side, not one after another.
    List<String> states = page.recordedStates();
    assertThat(states).contains("Sheep.png:uploading", "Cow.png:uploading");
    assertThat(states.indexOf("Cow.png:uploading")).isLessThan(states.indexOf("Sheep.png:done"));
    page.awaitGallery();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> page.cardNames().containsAll(List.of("Goose", "Horse", "Pig", "Sheep", "Cow")));
    assertThat(page.savedSessions()).isEmpty();
    chromium.screenshot("gallery");
  }

  @Test
  void a64MiBUploadGetsThroughA503MidChunkAndAResetConnection() throws Exception {
    Path big = TestFiles.random(dir, "Bull.bin", 64 * MiB, 64);
    String test = farm.api().retryTest("farm.animals.insert",
        "return-503-after-3072K", "return-reset-connection", "return-503-after-5000K");
    chromium.extraHeaders(Map.of("x-retry-test-id", test)); // as if the page sent it

    page.pick(big);
    awaitVerified("Bull.bin");

    assertThat(farm.api().retryTestCompleted(test)).as("every fault fired").isTrue();
    assertThat(page.recordedStates()).contains("Bull.bin:retrying");
    assertStoredExactly("Bull", big);
  }

  @Test
  void offlineInTheMiddleWaitsForTheNetworkThenFinishes() throws Exception {
    Path file = TestFiles.random(dir, "Goat.bin", 24 * MiB, 24);

    startThrottled(file, 6 * MiB, 6 * MiB);
    chromium.offline(true);
    FarmPage.Row offline = page.awaitState("Goat.bin", "offline", Duration.ofSeconds(10));
    assertThat(offline.status()).contains("Waiting for the network");
    Thread.sleep(1500); // stays offline: no retries spent while the network is gone
    assertThat(page.row("Goat.bin").state()).isEqualTo("offline");
    chromium.offline(false);

    awaitVerified("Goat.bin");
    assertStoredExactly("Goat", file);
  }

  @Test
  void reloadMidUploadThenPickingTheFileAgainResendsAtMostOneChunk() throws Exception {
    Path file = TestFiles.random(dir, "Horse.bin", 40 * MiB, 40);
    long before = TestFarm.receivedBytes(server);
    startThrottled(file, 10 * MiB, 20 * MiB);
    chromium.driver().navigate().refresh(); // the tab reloads: the File object is gone
    page.awaitGallery();
    assertThat(page.rows()).isEmpty();
    assertThat(page.savedSessions()).hasSize(1);
    page.recordStates();
    page.pick(file); // the same file, picked again

    FarmPage.Row done = awaitVerified("Horse.bin");
    assertThat(done.status()).contains("resumed at");
    long received = TestFarm.receivedBytes(server) - before;
    System.out.printf("reload mid-upload: the server read %d bytes for a %d-byte file (%s)%n",
        received, Files.size(file), done.status());
    assertThat(received).as("bytes the server read for a %d-byte file", Files.size(file))
        .isBetween(Files.size(file), Files.size(file) + CHUNK);
    assertStoredExactly("Horse", file);
    assertThat(page.savedSessions()).isEmpty();
  }

  @Test
  void pauseStopsTheBytesAndResumeFinishes() throws Exception {
    Path file = TestFiles.random(dir, "Duck.bin", 24 * MiB, 25);

    startThrottled(file, 6 * MiB, 4 * MiB);
    page.click("Duck.bin", "Pause");
    page.awaitState("Duck.bin", "paused", Duration.ofSeconds(5));
    Thread.sleep(300); // what was in the pipe when the request was aborted settles
    long pausedAt = TestFarm.receivedBytes(server);
    Thread.sleep(1000);
    assertThat(TestFarm.receivedBytes(server)).as("bytes while paused").isEqualTo(pausedAt);

    page.click("Duck.bin", "Resume");
    awaitVerified("Duck.bin");
    assertStoredExactly("Duck", file);
  }

  @Test
  void cancelDeletesTheSessionOnTheServer() throws Exception {
    Path file = TestFiles.random(dir, "Hen.bin", 24 * MiB, 26);

    startThrottled(file, 6 * MiB, 4 * MiB);
    String session = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(page.savedSessions().values().iterator().next()).get("uri").asText();
    page.click("Hen.bin", "Cancel");
    page.awaitState("Hen.bin", "cancelled", Duration.ofSeconds(10));

    RawHttp.Response query = farm.api().query(FarmTestClient.target(session), Files.size(file));
    assertThat(query.status()).as("the session after a cancel: %s", query).isEqualTo(404);
    assertThat(page.savedSessions()).isEmpty();
    assertThat(farm.animals()).isEmpty();
  }

  @Test
  void aFileDroppedOnTheZoneUploadsWithTheSpeciesTyped() throws Exception {
    page.byId("species-input").sendKeys("sheep");
    // What a drag from the desktop delivers: a drop event whose DataTransfer holds a File.
    chromium.script("const bytes = new Uint8Array(3 * 1024 * 1024 + 5);"
        + " for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13) & 255;"
        + " const data = new DataTransfer();"
        + " data.items.add(new File([bytes], 'Lamb.bin', {type: 'application/octet-stream'}));"
        + " document.getElementById('drop-zone').dispatchEvent("
        + "   new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));");

    awaitVerified("Lamb.bin");
    byte[] expected = new byte[3 * 1024 * 1024 + 5];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) (i * 13);
    }
    JsonNode lamb = farm.animalNamed("Lamb");
    assertThat(lamb.get("species").asText()).isEqualTo("sheep");
    assertThat(farm.storedSha256(lamb)).isEqualTo(FarmTestClient.sha256(expected));
  }

  @Test
  void aFileTooLargeToHashIsUploadedAndSaysItWasNotVerified() throws Exception {
    chromium.script("localStorage.setItem('farm.hashLimit', String(1024 * 1024))");
    Path file = TestFiles.random(dir, "Ox.bin", 3 * MiB, 3);

    page.pick(file);

    assertThat(page.awaitState("Ox.bin", "done", Duration.ofSeconds(30)).status())
        .contains("not verified: the file is too large to hash in the browser");
    assertStoredExactly("Ox", file);
  }
}
