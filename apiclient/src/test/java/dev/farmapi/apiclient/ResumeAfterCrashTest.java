package dev.farmapi.apiclient;

import static dev.farmapi.apiclient.testing.TestUploads.assertStored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaStreamUpload;
import dev.farmapi.apiclient.testing.ChildJvm;
import dev.farmapi.apiclient.testing.CrashableUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume after the process died: a child JVM uploads and saves its session after every chunk,
 * is killed, and this JVM finishes the upload from the saved session and the same file.
 */
class ResumeAfterCrashTest {
  static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  LiveServer server;
  ApiClient client;

  @BeforeEach
  void start() throws Exception {
    // The client's idle keep-alive connection holds a graceful stop for its whole grace period.
    server = LiveServer.start(dir.resolve("server"), b -> b.shutdownGrace(Duration.ofMillis(100)));
    client = server.client();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  HttpRequest.Builder<JsonNode> insert(Path file, long chunkSize) throws Exception {
    return client.request("POST", server.uri("farm/v1/animals"))
        .body(Map.of("name", "phoenix"))
        .media(MediaFileUpload.of(file).withChunkSize(chunkSize).resumable(),
            server.uri("upload/farm/v1/animals"));
  }

  @Test
  void uploadKilledMidChunkIsFinishedByAnotherProcessFromTheServersOffset() throws Exception {
    long size = 8L * MIB + 12345;
    Path file = LiveServer.randomFile(dir.resolve("phoenix.bin"), size, 1);
    Path sessionFile = dir.resolve("session.json");
    // 1 MiB chunks read at 4 MiB/s: two seconds of upload, killed a quarter of the way in.
    Process child = ChildJvm.start(CrashableUpload.class, List.of(), dir.resolve("child.err"),
        server.uri().toString(), server.key(), file.toString(), sessionFile.toString(),
        Long.toString(MIB), Long.toString(4L * MIB));
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(
        child.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    try {
      long saved = -1;
      while (saved < 2L * MIB) {
        String line = lines.poll(30, TimeUnit.SECONDS);
        assertThat(line).as("child output (stderr in child.err)").isNotNull().isNotEqualTo("done");
        if (line.startsWith("saved ")) {
          saved = Long.parseLong(line.substring(6));
        }
      }
      Thread.sleep(120); // into the next chunk
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }

    ResumableSession session = ResumableSession.fromJson(Files.readString(sessionFile));
    long held = server.settledSessionOffset(session.sessionUri(), size);
    assertThat(held).as("bytes the server holds from the dead process")
        .isGreaterThanOrEqualTo(session.offset()).isGreaterThanOrEqualTo(2L * MIB).isLessThan(size);
    double receivedBefore = server.metric("farm_upload_received_bytes_total");
    double sessionsBefore = server.metric("farm_upload_sessions_started_total");
    List<Long> progress = new CopyOnWriteArrayList<>();

    JsonNode animal = insert(file, MIB).resumeFrom(session)
        .progressListener(p -> progress.add(p.bytesUploaded())).build().execute();

    assertThat(server.downloadSha256(animal.get("id").asText()))
        .isEqualTo(LiveServer.sha256(file));
    assertThat(animal.get("name").asText()).as("the dead process's metadata").isEqualTo("phoenix");
    assertThat(server.animalsNamed("phoenix")).hasSize(1);
    assertThat(server.metric("farm_upload_sessions_started_total")).isEqualTo(sessionsBefore);
    assertThat(server.metric("farm_upload_received_bytes_total") - receivedBefore)
        .as("bytes sent after the resume: exactly what the server lacked")
        .isEqualTo(size - held);
    assertThat(progress).allSatisfy(end -> assertThat(end).isGreaterThan(held));
  }

  @Test
  void checksumsAreVerifiedAfterAResumeOverTheBytesTheDeadProcessSent() throws Exception {
    byte[] bytes = LiveServer.randomBytes(4 * 262144 + 99, 2);
    Path file = Files.write(dir.resolve("phoenix.bin"), bytes);
    AtomicReference<ResumableSession> saved = new AtomicReference<>();
    HttpRequest<JsonNode> first = insert(file, 262144).sessionListener(saved::set).build();
    first.nextChunk();
    first.nextChunk(); // the server holds 512 KiB; then this process "dies"

    // The file's first bytes change behind the upload's back, its size and time put back.
    FileTime modified = Files.getLastModifiedTime(file);
    byte[] tampered = bytes.clone();
    tampered[1000] ^= 0x55;
    Files.write(file, tampered);
    Files.setLastModifiedTime(file, modified);

    ChecksumMismatchError e = catchThrowableOfType(ChecksumMismatchError.class,
        () -> insert(file, 262144).resumeFrom(saved.get()).build().execute());

    assertThat(e.algorithm()).isEqualTo("crc32c"); // the default check; MD5 is opt-in
    assertThat(e.getMessage()).contains("mismatch");
    JsonNode stored = server.animalsNamed("phoenix").get(0);
    assertStored(server, stored, bytes); // what was sent before the "crash", then the rest
  }

  @Test
  void resumeOfAnUploadTheDeadProcessHadFinishedReturnsTheSameAnimalAndStillVerifiesIt()
      throws Exception {
    byte[] bytes = LiveServer.randomBytes(3 * 262144 + 5, 6);
    Path file = Files.write(dir.resolve("phoenix.bin"), bytes);
    AtomicReference<ResumableSession> saved = new AtomicReference<>();
    // The process finished the upload but died before it could record that.
    JsonNode finished = insert(file, 262144).sessionListener(saved::set).build().execute();

    JsonNode resumed = insert(file, 262144).resumeFrom(saved.get()).build().execute();

    assertThat(resumed.get("id").asText()).isEqualTo(finished.get("id").asText());
    assertThat(server.animalsNamed("phoenix")).hasSize(1);

    FileTime modified = Files.getLastModifiedTime(file);
    byte[] tampered = bytes.clone();
    tampered[bytes.length - 1] ^= 0x55;
    Files.write(file, tampered);
    Files.setLastModifiedTime(file, modified);
    assertThatThrownBy(() -> insert(file, 262144).resumeFrom(saved.get()).build().execute())
        .as("the server's checksums are compared with the file's even with nothing left to send")
        .isInstanceOf(ChecksumMismatchError.class);
  }

  @Test
  void resumeWithADifferentFileIsRefused() throws Exception {
    Path file = Files.write(dir.resolve("a.bin"), LiveServer.randomBytes(600_000, 3));
    Path other = Files.write(dir.resolve("b.bin"), LiveServer.randomBytes(600_000, 4));
    AtomicReference<ResumableSession> saved = new AtomicReference<>();
    insert(file, 262144).sessionListener(saved::set).build().nextChunk();

    assertThatThrownBy(() -> insert(other, 262144).resumeFrom(saved.get()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the saved session was for another source");
    assertThatThrownBy(() -> client.request("POST", server.uri("farm/v1/animals"))
        .media(MediaStreamUpload.of(new ByteArrayInputStream(new byte[10]), "image/png")
            .resumable(), server.uri("upload/farm/v1/animals"))
        .resumeFrom(saved.get()).build())
        .as("a stream cannot be recognised again")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void savedSessionIsPlainJsonWithoutClassNames() throws Exception {
    Path file = Files.write(dir.resolve("a.bin"), LiveServer.randomBytes(600_000, 3));
    AtomicReference<ResumableSession> saved = new AtomicReference<>();
    insert(file, 262144).sessionListener(saved::set).build().nextChunk();

    JsonNode json = new ObjectMapper().readTree(saved.get().toJson());

    assertThat(json.properties()).extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("sessionUri", "offset", "totalSize", "mimeType", "fingerprint");
    assertThat(json.get("offset").asLong()).isEqualTo(262144);
    assertThat(json.get("totalSize").asLong()).isEqualTo(600_000);
    assertThat(ResumableSession.fromJson(saved.get().toJson())).isEqualTo(saved.get());
  }
}
