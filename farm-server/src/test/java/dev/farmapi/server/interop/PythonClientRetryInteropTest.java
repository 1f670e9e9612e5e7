package dev.farmapi.server.interop;

import static dev.farmapi.server.interop.StoredMedia.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * google-api-python-client 1.7.12's retries against the server's injected faults: what the
 * client really does (traced request by request) and that the bytes stored are still exactly
 * the source's. The client sleeps {@code rand() * 2**n} seconds before its n-th retry (seeded in
 * farmlib.py), so retries are few.
 */
class PythonClientRetryInteropTest extends PythonInterop {
  /** Larger than the socket buffers (so an early answer races the body) and 4 chunks of 1 MiB. */
  private static final int SIZE = 3 * MIB + 12345;
  private static final String N = "/" + SIZE;
  private static final String INSERT = "farm.animals.insert";
  /**
   * A fault that fires without effect (a zero-second stall at 0 bytes): it lets one request of
   * the queue pass, so that the next fault lands on a later request of the session.
   */
  private static final String PASS = "stall-for-0s-after-0K";

  /** With a name the upload is multipart; without, a simple upload (uploadType=media). */
  @ParameterizedTest(name = "name=''{0}''")
  @ValueSource(strings = {"Pig", ""})
  void executeWithRetriesResendsTheWholeBodyAcrossTwoInjected503s(String name)
      throws IOException {
    byte[] media = writeRandom("pig.png", SIZE);
    String test = client.retryTest(INSERT, "return-503", "return-503");
    boolean multipart = !name.isEmpty();

    List<String> args = new ArrayList<>(List.of("pig.png", "--mimetype", "image/png",
        "--num-retries", "3", "--retry-test=" + test));
    if (multipart) {
      args.addAll(List.of("--name", name));
    }

    PythonRunner.Result result = python.run("upload.py", args.toArray(String[]::new));

    // The body is bytes, so each retry sends it whole; the server reads (and drops) the body of
    // a request it fails, so the client's kept-alive connection carries the retry.
    assertThat(result.exchanges()).containsExactly("POST -> 503", "POST -> 503", "POST -> 200");
    assertThat(result.requests("POST")).allSatisfy(post -> assertThat(
        post.path("uploadType").asText()).isEqualTo(multipart ? "multipart" : "media"));
    assertStored(client, result.json().get("animal"), media, multipart ? name : null,
        "image/png");
    assertThat(client.retryTestCompleted(test)).isTrue();
  }

  @Test
  void resumableExecuteWithRetriesSurvives503sOnTheInitiation() throws IOException {
    byte[] media = writeRandom("pig.png", SIZE);
    String test = client.retryTest(INSERT, "return-503", "return-503");

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--execute", "--chunksize", Integer.toString(CHUNK_1M),
        "--num-retries", "3", "--retry-test=" + test, "--name", "Pig");

    assertThat(result.exchanges()).containsExactly(
        "POST -> 503", "POST -> 503", "POST -> 200",
        "PUT bytes 0-1048575" + N + " -> 308",
        "PUT bytes 1048576-2097151" + N + " -> 308",
        "PUT bytes 2097152-3145727" + N + " -> 308",
        "PUT bytes 3145728-3158072" + N + " -> 200");
    assertStored(client, result.json().get("animal"), media, "Pig", "image/png");
    assertThat(client.retryTestCompleted(test)).isTrue();
  }

  /**
   * Known behaviour of 1.7.12 (http.py, next_chunk): a chunk is a {@code _StreamSlice} that the
   * first PUT read to its end, and the retry loop inside next_chunk re-sends that same, spent
   * slice: the retry declares {@code Content-Length: 1048576} and sends no body. The server
   * waits its body timeout (2 s in tests), answers 408 and keeps the session as it was; 408 is
   * not retryable for the client, so next_chunk raises HttpError 408. Calling next_chunk again
   * (the guide's pattern) sends a status query, learns the true offset and resends the chunk.
   */
  @Test
  void chunkRetryInsideNextChunkSendsNoBodyGets408AndTheNextCallRecovers() throws IOException {
    byte[] media = writeRandom("pig.png", SIZE);
    String test = client.retryTest(INSERT, PASS, PASS, "return-503"); // 503 on the 2nd chunk

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(CHUNK_1M), "--num-retries", "1",
        "--max-errors", "2", "--retry-test=" + test, "--name", "Pig");

    assertThat(result.exchanges()).containsExactly(
        "POST -> 200",
        "PUT bytes 0-1048575" + N + " -> 308",
        "PUT bytes 1048576-2097151" + N + " -> 503",
        "PUT bytes 1048576-2097151" + N + " -> 408", // the spent slice: no body
        "PUT bytes */" + SIZE + " -> 308",
        "PUT bytes 1048576-2097151" + N + " -> 308",
        "PUT bytes 2097152-3145727" + N + " -> 308",
        "PUT bytes 3145728-3158072" + N + " -> 200");
    assertThat(errors(result)).containsExactly("HttpError 408");
    assertStored(client, result.json().get("animal"), media, "Pig", "image/png");
  }

  @Test
  void nextChunkLoopRecoversFromA503OnAChunkWithAStatusQuery() throws IOException {
    byte[] media = writeRandom("pig.png", SIZE);
    String test = client.retryTest(INSERT, PASS, PASS, "return-503");

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(CHUNK_1M), "--max-errors", "2",
        "--retry-test=" + test, "--name", "Pig");

    assertThat(result.exchanges()).containsSubsequence(
        "PUT bytes 1048576-2097151" + N + " -> 503",
        "PUT bytes */" + SIZE + " -> 308",
        "PUT bytes 1048576-2097151" + N + " -> 308");
    assertThat(errors(result)).containsExactly("HttpError 503");
    assertStored(client, result.json().get("animal"), media, "Pig", "image/png");
  }

  @Test
  void nextChunkLoopResumesFromTheBytesTheServerKeptBeforeA503MidChunk() throws IOException {
    byte[] media = writeRandom("pig.png", SIZE);
    String test = client.retryTest(INSERT, "return-503-after-256K");

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(CHUNK_1M), "--max-errors", "2",
        "--retry-test=" + test, "--name", "Pig");

    // The server kept the first 256 KiB of the chunk: the client goes on from there.
    assertThat(result.exchanges()).containsExactly(
        "POST -> 200",
        "PUT bytes 0-1048575" + N + " -> 503",
        "PUT bytes */" + SIZE + " -> 308",
        "PUT bytes 262144-1310719" + N + " -> 308",
        "PUT bytes 1310720-2359295" + N + " -> 308",
        "PUT bytes 2359296-3158072" + N + " -> 200");
    assertThat(errors(result)).containsExactly("HttpError 503");
    assertStored(client, result.json().get("animal"), media, "Pig", "image/png");
  }

  @Test
  void nextChunkLoopResumesAfterAConnectionResetOnAChunk() throws IOException {
    byte[] media = writeRandom("pig.png", SIZE);
    String test = client.retryTest(INSERT, PASS, PASS, "return-reset-connection");

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(CHUNK_1M), "--max-errors", "2",
        "--retry-test=" + test, "--name", "Pig");

    // The RST reaches the client while it sends (BrokenPipeError) or reads (ConnectionResetError),
    // which the socket decides; either way next_chunk raises it, and the next call queries.
    assertThat(errors(result)).singleElement()
        .isIn("ConnectionResetError", "BrokenPipeError");
    assertThat(result.exchanges()).containsSubsequence(
        "PUT bytes 0-1048575" + N + " -> 308",
        "PUT bytes */" + SIZE + " -> 308",
        "PUT bytes 1048576-2097151" + N + " -> 308",
        "PUT bytes 3145728-3158072" + N + " -> 200");
    assertStored(client, result.json().get("animal"), media, "Pig", "image/png");
  }

  @Test
  void nextChunkLoopRecoversALostFinalAnswerWithoutASecondAnimal() throws IOException {
    byte[] media = writeRandom("pig.png", SIZE);
    String test = client.retryTest(INSERT, "return-broken-stream-final-chunk-after-20B");

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(CHUNK_1M), "--max-errors", "2",
        "--retry-test=" + test, "--name", "Pig");

    // The upload completed but its 200 was cut: the status query gets the same animal.
    assertThat(result.exchanges()).endsWith(
        "PUT bytes 3145728-3158072" + N + " -> IncompleteRead",
        "PUT bytes */" + SIZE + " -> 200");
    assertThat(errors(result)).containsExactly("IncompleteRead");
    assertStored(client, result.json().get("animal"), media, "Pig", "image/png");
    assertThat(animalCount()).isEqualTo(1);
  }

  @Test
  void notFoundOnAChunkMakesTheLoopStartTheUploadOver() throws IOException {
    byte[] media = writeRandom("pig.png", SIZE);
    String test = client.retryTest(INSERT, PASS, PASS, "return-404");

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(CHUNK_1M), "--max-errors", "2",
        "--retry-test=" + test, "--name", "Pig");

    assertThat(errors(result)).containsExactly("HttpError 404");
    assertThat(result.json().get("restarts").asInt()).isEqualTo(1);
    assertThat(result.exchanges()).containsSubsequence(
        "POST -> 200",
        "PUT bytes 1048576-2097151" + N + " -> 404",
        "POST -> 200", // a new session
        "PUT bytes 0-1048575" + N + " -> 308");
    assertStored(client, result.json().get("animal"), media, "Pig", "image/png");
    assertThat(animalCount()).isEqualTo(1);
  }

  /** The errors the script's loop met, as "HttpError 408" or the exception's class name. */
  private static List<String> errors(PythonRunner.Result result) {
    return StreamSupport.stream(result.json().get("errors").spliterator(), false)
        .map(e -> e.path("type").asText() + (e.has("status") ? " " + e.get("status") : ""))
        .toList();
  }

  private int animalCount() throws IOException {
    JsonNode list = client.request("GET", "/farm/v1/animals?maxResults=1000").send().json();
    return list.path("items").size();
  }
}
