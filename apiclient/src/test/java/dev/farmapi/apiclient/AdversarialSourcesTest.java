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
import dev.farmapi.apiclient.testing.FaultyMedia;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.apiclient.testing.PatternMedia;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sources that test the uploader's reading: one byte per read, sizes at and around chunk
 * boundaries (0 and 1 byte included), data generated on the fly, sources that fail, and a file
 * that changes while it uploads.
 */
class AdversarialSourcesTest {
  static final int CHUNK = 262144;

  @TempDir static Path dir;
  static LiveServer server;
  static ApiClient client;
  static final AtomicInteger files = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"));
    client = server.client();
  }

  @AfterAll
  static void stop() throws Exception {
    for (SeekableByteChannel channel : channels) {
      channel.close();
    }
    server.close();
  }

  /** How the bytes travel and where they come from. */
  enum Kind {
    RESUMABLE_FILE, RESUMABLE_CHANNEL, RESUMABLE_UNKNOWN_SIZE_STREAM, RESUMABLE_KNOWN_SIZE_STREAM,
    SIMPLE, MULTIPART;

    MediaUpload media(byte[] bytes, boolean oneByteReads) throws IOException {
      InputStream in = oneByteReads ? new OneByteInputStream(bytes) : new ByteArrayInputStream(bytes);
      MediaUpload media = switch (this) {
        case RESUMABLE_FILE -> MediaFileUpload.of(file(bytes)).withChunkSize(CHUNK).resumable();
        case RESUMABLE_CHANNEL -> MediaStreamUpload.of(channel(file(bytes)), "image/png")
            .withChunkSize(CHUNK).resumable();
        case RESUMABLE_UNKNOWN_SIZE_STREAM ->
            MediaStreamUpload.of(in, "image/png").withChunkSize(CHUNK).resumable();
        case RESUMABLE_KNOWN_SIZE_STREAM -> MediaStreamUpload.of(in, "image/png")
            .withSize(bytes.length).withChunkSize(CHUNK).resumable();
        case SIMPLE, MULTIPART -> MediaFileUpload.of(file(bytes));
      };
      boolean stream = this == RESUMABLE_UNKNOWN_SIZE_STREAM || this == RESUMABLE_KNOWN_SIZE_STREAM;
      return oneByteReads && !stream ? FaultyMedia.oneByteReads(media) : media;
    }

    boolean resumable() {
      return name().startsWith("RESUMABLE");
    }
  }

  static final List<SeekableByteChannel> channels = new ArrayList<>();

  /** A channel the test owns (the uploader never closes it), closed after the class. */
  static SeekableByteChannel channel(Path file) throws IOException {
    SeekableByteChannel channel = Files.newByteChannel(file);
    channels.add(channel);
    return channel;
  }

  static Path file(byte[] bytes) throws IOException {
    return Files.write(dir.resolve("media-" + files.incrementAndGet() + ".bin"), bytes);
  }

  /** An InputStream that gives one byte per read, however much is asked for. */
  static final class OneByteInputStream extends FilterInputStream {
    OneByteInputStream(byte[] bytes) {
      super(new ByteArrayInputStream(bytes));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1));
    }
  }

  static Stream<Arguments> sizesAroundChunkBoundaries() {
    List<Arguments> cases = new ArrayList<>();
    for (int size : new int[] {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK}) {
      for (Kind kind : Kind.values()) {
        cases.add(Arguments.of(size, kind));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} bytes, {1}")
  @MethodSource("sizesAroundChunkBoundaries")
  void sizesAtAndAroundChunkBoundariesFinalizeInAsManyChunksAsTheyNeed(int size, Kind kind)
      throws Exception {
    byte[] bytes = LiveServer.randomBytes(size, size);
    HttpRequest<JsonNode> request = insert(server, client, kind == Kind.SIMPLE ? null : "ox",
        kind.media(bytes, false), null).build();

    int calls = 0;
    JsonNode animal = null;
    while (animal == null) {
      animal = request.nextChunk().response();
      calls++;
    }

    assertStored(server, animal, bytes);
    int chunks = kind.resumable() ? Math.max(1, (size + CHUNK - 1) / CHUNK) : 1;
    assertThat(calls).as("nextChunk() calls: no empty round trip after data that fills its chunks")
        .isEqualTo(chunks);
  }

  @ParameterizedTest(name = "{0} bytes, {1}")
  @MethodSource("oneByteCases")
  void oneByteReadsStoreIdenticalBytes(int size, Kind kind) throws Exception {
    byte[] bytes = LiveServer.randomBytes(size, 100 + size);
    JsonNode animal = insert(server, client, kind == Kind.SIMPLE ? null : "ox",
        kind.media(bytes, true), null).build().execute();

    assertStored(server, animal, bytes);
  }

  static Stream<Arguments> oneByteCases() {
    List<Arguments> cases = new ArrayList<>();
    for (int size : new int[] {1, 2 * CHUNK, 2 * CHUNK + 7}) {
      for (Kind kind : Kind.values()) {
        cases.add(Arguments.of(size, kind));
      }
    }
    return cases.stream();
  }

  @Test
  void channelIsUploadedFromItsPositionAtCreation() throws Exception {
    byte[] bytes = LiveServer.randomBytes(2 * CHUNK + 3000, 8);
    try (SeekableByteChannel channel = Files.newByteChannel(file(bytes))) {
      channel.position(3000);
      MediaUpload media = MediaStreamUpload.of(channel, "image/png").withChunkSize(CHUNK)
          .resumable();
      String test = server.retryTest("farm.animals.insert", "return-503-after-100K");

      JsonNode animal = insert(server, client, "ox", media, test).build().execute();

      assertStored(server, animal, java.util.Arrays.copyOfRange(bytes, 3000, bytes.length));
      assertThat(channel.isOpen()).as("the caller's channel is left open").isTrue();
    }
  }

  @Test
  void mediaGeneratedOnTheFlyIsRegeneratedFromWhereTheServersBytesEnd() throws Exception {
    PatternMedia media = new PatternMedia(3 * 1024 * 1024 + 7, 1024 * 1024);
    String test = server.retryTest("farm.animals.insert", "return-503-after-100K",
        "return-reset-connection", "return-502-after-700K");

    JsonNode animal = insert(server, client, "zebra", media, test).build().execute();

    assertStored(server, animal, media.bytes());
    assertThat(server.retryTestRemaining(test, "farm.animals.insert")).isEmpty();
    assertThat(media.opens()).as("offsets the media was regenerated from")
        .contains(102400L) // after the first chunk was cut at 100 KiB
        .contains(102400L + 1024 * 1024 + 700 * 1024); // after the third attempt was cut
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"RESUMABLE_FILE", "RESUMABLE_UNKNOWN_SIZE_STREAM",
      "SIMPLE", "MULTIPART"})
  void sourceWhoseOpenFailsSurfacesItsErrorWithoutRetries(Kind kind) throws Exception {
    FaultyMedia media = FaultyMedia.failingOpen(kind.media(new byte[600_000], false),
        new IOException("the disk was unplugged"));

    IOException e = catchThrowableOfType(IOException.class, () -> insert(server, client,
        kind == Kind.SIMPLE ? null : "ox", media, null).build().execute());

    assertThat(e).hasStackTraceContaining("the disk was unplugged");
    assertThat(e).isNotInstanceOf(HttpError.class);
    assertThat(media.opens()).as("a failing source is not a failing network: no retry")
        .hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"RESUMABLE_FILE", "RESUMABLE_UNKNOWN_SIZE_STREAM",
      "SIMPLE", "MULTIPART"})
  void sourceFailingMidwaySurfacesItsErrorWithoutRetries(Kind kind) throws Exception {
    FaultyMedia media = FaultyMedia.failingReadsAt(kind.media(new byte[600_000], false),
        CHUNK + 1000);

    IOException e = catchThrowableOfType(IOException.class, () -> insert(server, client,
        kind == Kind.SIMPLE ? null : "ox", media, null).build().execute());

    assertThat(e).hasStackTraceContaining("the disk failed at byte " + (CHUNK + 1000));
    assertThat(e).isNotInstanceOf(HttpError.class);
    assertThat(media.opens()).as("opened once per chunk, never again for a retry")
        .hasSizeLessThanOrEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void fileChangedDuringTheUploadFailsClearlyInsteadOfMixingVersions(boolean sameSize)
      throws Exception {
    byte[] bytes = LiveServer.randomBytes(3 * CHUNK, 9);
    Path file = file(bytes);
    double receivedBefore = server.metric("farm_upload_received_bytes_total");
    HttpRequest<JsonNode> request = insert(server, client, "goat",
        MediaFileUpload.of(file).withChunkSize(CHUNK).resumable(), null).build();
    request.nextChunk();

    byte[] changed = bytes.clone();
    changed[CHUNK + 5] ^= 1;
    Files.write(file, sameSize ? changed : java.util.Arrays.copyOf(changed, changed.length + 1));
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));

    IOException e = catchThrowableOfType(IOException.class, request::nextChunk);

    assertThat(e).hasMessageContaining("changed since the upload began");
    assertThat(e).isNotInstanceOf(HttpError.class);
    assertThat(server.metric("farm_upload_received_bytes_total") - receivedBefore)
        .as("nothing of the changed file was sent").isEqualTo(CHUNK);
    assertThat(server.animalsNamed("goat")).isEmpty();
  }
}
