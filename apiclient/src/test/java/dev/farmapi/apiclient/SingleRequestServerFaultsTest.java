package dev.farmapi.apiclient;

import static dev.farmapi.apiclient.testing.TestUploads.assertStored;
import static dev.farmapi.apiclient.testing.TestUploads.insert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.media.MediaStreamUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.apiclient.testing.TestUploads.Driver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Simple ({@code uploadType=media}) and multipart uploads against the real server while it fails
 * on purpose: an upload sent in one request is retried whole, re-reading its source.
 */
class SingleRequestServerFaultsTest {
  static final int SIZE = 700_001;

  @TempDir static Path dir;
  static LiveServer server;
  static ApiClient client;
  static byte[] bytes;
  static Path file;
  static final AtomicInteger names = new AtomicInteger();

  /** Simple: media without metadata; multipart: with it. From a file or from memory. */
  enum Kind {
    SIMPLE_FROM_FILE, SIMPLE_FROM_MEMORY, MULTIPART_FROM_FILE, MULTIPART_FROM_MEMORY;

    boolean multipart() {
      return name().startsWith("MULTIPART");
    }

    MediaUpload media() throws IOException {
      return name().endsWith("FILE")
          ? MediaFileUpload.of(file)
          : MediaInMemoryUpload.of(bytes, "image/png");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"));
    client = server.client();
    bytes = LiveServer.randomBytes(SIZE, 7);
    file = Files.write(dir.resolve("cow.png"), bytes);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Stream<Arguments> faults() {
    List<Arguments> cases = new ArrayList<>();
    List<String> faults = List.of("return-500", "return-502", "return-503", "return-504",
        "return-408", "return-429", "return-reset-connection", "return-503-after-100K");
    for (String fault : faults) {
      for (Kind kind : Kind.values()) {
        for (Driver driver : Driver.values()) {
          cases.add(Arguments.of(fault, kind, driver));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("faults")
  void retriesTheWholeRequestAndStoresIdenticalBytesOnce(String fault, Kind kind, Driver driver)
      throws Exception {
    String name = kind.multipart() ? "cow-" + names.incrementAndGet() : null;
    String test = server.retryTest("farm.animals.insert", fault, fault);
    int animalsBefore = server.animals().size();
    double receivedBefore = server.metric("farm_upload_received_bytes_total");

    JsonNode animal = driver.run(insert(server, client, name, kind.media(), test).build());

    assertStored(server, animal, bytes);
    assertThat(server.retryTestRemaining(test, "farm.animals.insert")).isEmpty();
    assertThat(server.animals()).hasSize(animalsBefore + 1);
    if (name != null) {
      assertThat(animal.path("name").asText()).isEqualTo(name);
    } else {
      long keptBeforeEachFault = fault.endsWith("-after-100K") ? 100 * 1024 : 0;
      // The server reads a body a window (64 KiB, after a 16 KiB gate) at a time, so a fault
      // after 100K may find up to that much read past it (74.5 KiB seen over the JDK engine).
      // That no third attempt failed is the retry test's: both faults used, one animal more.
      long window = keptBeforeEachFault > 0 ? 128 * 1024 : 0;
      assertThat(server.metric("farm_upload_received_bytes_total") - receivedBefore)
          .as("media bytes the server read: two failed attempts, then the whole media")
          .isBetween((double) SIZE + 2 * keptBeforeEachFault,
              (double) SIZE + 2 * (keptBeforeEachFault + window));
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void streamOfUnknownSizeIsSentWholeInOneRequest(boolean multipart) throws Exception {
    MediaUpload media = MediaStreamUpload.of(new ByteArrayInputStream(bytes), "image/png");

    JsonNode animal = insert(server, client, multipart ? "cow-stream" : null, media, null)
        .build().execute();

    assertStored(server, animal, bytes);
  }

  /**
   * A stream is read once: after a failure that came once part of it had been sent, a retry
   * would need its start again. The upload fails saying so, and stores nothing.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void streamThatWouldHaveToBeReadAgainFailsClearlyInsteadOfSendingOtherBytes(boolean multipart)
      throws Exception {
    String test = server.retryTest("farm.animals.insert", "return-503-after-100K");
    int animalsBefore = server.animals().size();
    MediaUpload media = MediaStreamUpload.of(new ByteArrayInputStream(bytes), "image/png");

    IOException e = catchThrowableOfType(IOException.class, () -> insert(server, client,
        multipart ? "cow-stream" : null, media, test).build().execute());

    assertThat(e).hasStackTraceContaining("cannot re-read a stream from byte 0");
    assertThat(e).isNotInstanceOf(HttpError.class);
    assertThat(server.animals()).hasSize(animalsBefore);
  }

  /**
   * An upload in one request cannot ask what became of a request whose answer was lost, so it
   * sends it again; its {@code Idempotency-Key}, the same on the retry, makes the server answer
   * with the animal the first attempt made instead of making a second one.
   */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void lostAnswerIsRetriedWithTheSameIdempotencyKeyAndMakesOneAnimal(Kind kind) throws Exception {
    String name = kind.multipart() ? "cow-" + names.incrementAndGet() : null;
    String test = server.retryTest("farm.animals.insert",
        "return-broken-stream-final-chunk-after-10B");
    int animalsBefore = server.animals().size();
    double receivedBefore = server.metric("farm_upload_received_bytes_total");

    JsonNode animal = insert(server, client, name, kind.media(), test).build().execute();

    assertStored(server, animal, bytes);
    assertThat(server.retryTestRemaining(test, "farm.animals.insert")).isEmpty();
    assertThat(server.animals()).hasSize(animalsBefore + 1);
    if (!kind.multipart()) {
      assertThat(server.metric("farm_upload_received_bytes_total") - receivedBefore)
          .as("the retry's body is read (and dropped) before the answer").isEqualTo(2L * SIZE);
    }
  }

  /** A key names one upload, not its bytes: uploading one file twice makes two animals. */
  @Test
  void eachUploadHasItsOwnIdempotencyKey() throws Exception {
    HttpRequest<JsonNode> request = insert(server, client, null, Kind.SIMPLE_FROM_FILE.media(),
        null).build();
    int animalsBefore = server.animals().size();

    JsonNode first = request.execute();
    JsonNode second = insert(server, client, null, Kind.SIMPLE_FROM_FILE.media(), null).build()
        .execute();
    JsonNode third = request.execute();

    assertThat(List.of(first, second, third)).extracting(a -> a.get("id").asText())
        .doesNotHaveDuplicates();
    assertThat(server.animals()).hasSize(animalsBefore + 3);
    assertStored(server, third, bytes);
  }
}
