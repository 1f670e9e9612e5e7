package dev.farmapi.apiclient;

import static dev.farmapi.apiclient.testing.TestUploads.assertStored;
import static dev.farmapi.apiclient.testing.TestUploads.insert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaStreamUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.apiclient.testing.TestUploads.Driver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resumable uploads (a file, a seekable channel and a stream of unknown size) against the real
 * server while it fails on purpose (its retry-test API):
 * every scripted fault is survived, the stored bytes are the source's, one animal is made, and
 * no byte the server had kept is sent to it again.
 */
class ResumableServerFaultsTest {
  static final long CHUNK = 512 * 1024;
  static final int SIZE = 2 * (int) CHUNK + 12345; // three chunks, the last one odd
  /**
   * The initiation takes a zero-second stall at 0 bytes (it carries no media) and does nothing
   * else: this puts the next instruction on the first chunk instead of the initiation.
   */
  static final String PASS_INITIATION = "stall-for-0s-after-0K";

  @TempDir static Path dir;
  static LiveServer server;
  static ApiClient client;
  static byte[] bytes;
  static Path file;
  static final AtomicInteger names = new AtomicInteger();

  enum Source {
    FILE_OF_KNOWN_SIZE, SEEKABLE_CHANNEL, STREAM_OF_UNKNOWN_SIZE;

    MediaUpload media() throws IOException {
      return switch (this) {
        case FILE_OF_KNOWN_SIZE -> MediaFileUpload.of(file).withChunkSize(CHUNK).resumable();
        case SEEKABLE_CHANNEL -> MediaStreamUpload.of(channel(), "image/png")
            .withChunkSize(CHUNK).resumable();
        case STREAM_OF_UNKNOWN_SIZE -> MediaStreamUpload.of(new ByteArrayInputStream(bytes),
            "image/png").withChunkSize(CHUNK).resumable();
      };
    }
  }

  static final List<SeekableByteChannel> channels = new ArrayList<>();

  /** A channel on the file, which the caller (here, the class) owns and closes. */
  static SeekableByteChannel channel() throws IOException {
    SeekableByteChannel channel = Files.newByteChannel(file);
    channels.add(channel);
    return channel;
  }

  @BeforeAll
  static void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"));
    client = server.client();
    bytes = LiveServer.randomBytes(SIZE, 42);
    file = Files.write(dir.resolve("pig.png"), bytes);
  }

  @AfterAll
  static void stop() throws Exception {
    for (SeekableByteChannel channel : channels) {
      channel.close();
    }
    server.close();
  }

  static Stream<Arguments> faults() {
    List<List<String>> faults = new ArrayList<>();
    faults.add(List.of("return-503")); // on the initiation
    faults.add(List.of("return-reset-connection")); // on the initiation
    for (String code : List.of("500", "502", "503", "504", "408", "429")) {
      faults.add(List.of(PASS_INITIATION, "return-" + code)); // on the first chunk
    }
    faults.add(List.of(PASS_INITIATION, "return-reset-connection"));
    faults.add(List.of("return-503-after-256K")); // keeps 256 KiB of the first chunk
    faults.add(List.of("return-503-after-100K")); // keeps an unaligned part
    faults.add(List.of("return-broken-stream-final-chunk-after-10B"));
    faults.add(List.of("return-503", "return-reset-connection", "return-503-after-100K",
        "return-502-after-300K", "return-broken-stream-final-chunk-after-10B"));
    List<Arguments> cases = new ArrayList<>();
    for (List<String> fault : faults) {
      for (Source source : Source.values()) {
        for (Driver driver : Driver.values()) {
          cases.add(Arguments.of(fault, source, driver));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("faults")
  void completesOnceWithIdenticalBytesAndResendsNothingTheServerKept(List<String> fault,
      Source source, Driver driver) throws Exception {
    String name = "pig-" + names.incrementAndGet();
    String test = server.retryTest("farm.animals.insert", fault.toArray(String[]::new));
    double receivedBefore = server.metric("farm_upload_received_bytes_total");
    HttpRequest<JsonNode> request = insert(server, client, name, source.media(), test).build();

    List<MediaUploadProgress> progress = new ArrayList<>();
    JsonNode animal = driver.run(request, progress);

    assertStored(server, animal, bytes);
    assertThat(animal.path("name").asText()).isEqualTo(name);
    assertThat(server.retryTestRemaining(test, "farm.animals.insert")).as("faults not fired")
        .isEmpty();
    assertThat(server.animalsNamed(name)).extracting(a -> a.get("id").asText())
        .as("animals created").containsExactly(animal.get("id").asText());
    assertThat(server.metric("farm_upload_received_bytes_total") - receivedBefore)
        .as("media bytes the server read: a resend starts where the server's bytes end")
        .isEqualTo(SIZE);
    assertThat(progress).allSatisfy(p -> assertThat(p.bytesUploaded()).isBetween(0L, (long) SIZE));
  }
}
