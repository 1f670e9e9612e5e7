package dev.farmapi.server.interop;

import static dev.farmapi.server.interop.StoredMedia.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's upload examples, run by the real google-api-python-client 1.7.12 against our server
 * with the service built from our discovery document. Every upload is checked from the Java side:
 * the media downloaded back (SHA-256), its size and MD5, and the animal's name.
 */
class PythonClientInteropTest extends PythonInterop {
  /** Larger than several chunks of either size, and not a multiple of 256 KiB. */
  private static final int ODD_SIZE = 3 * MIB + 12345;

  @Test
  void insertWithAFileNameGuessesImagePngAndStoresThePicture() throws IOException {
    byte[] pig = write("pig.png", png(40, 30));

    // farm.animals().insert(media_body='pig.png', body={'name': 'Pig'}).execute()
    PythonRunner.Result result = python.run("upload.py", "pig.png", "--source", "filename",
        "--name", "Pig");

    assertStored(client, result.json().get("animal"), pig, "Pig", "image/png");
    assertThat(result.requests("POST")).singleElement()
        .satisfies(post -> assertThat(post.path("uploadType").asText()).isEqualTo("multipart"));
  }

  @Test
  void mediaFileUploadWithABodyIsOneMultipartRequest() throws IOException {
    byte[] pig = write("pig.png", png(64, 48));

    // MediaFileUpload('pig.png', mimetype='image/png'), body={'name': 'Pig'}
    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--name", "Pig");

    assertStored(client, result.json().get("animal"), pig, "Pig", "image/png");
    assertThat(result.requests("POST")).singleElement()
        .satisfies(post -> assertThat(post.path("uploadType").asText()).isEqualTo("multipart"));
  }

  @Test
  void mediaFileUploadWithoutABodyIsASimpleUploadOfAnAnimalWithoutName() throws IOException {
    byte[] pig = write("pig.png", png(64, 48));

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png");

    assertStored(client, result.json().get("animal"), pig, null, "image/png");
    assertThat(result.requests("POST")).singleElement()
        .satisfies(post -> assertThat(post.path("uploadType").asText()).isEqualTo("media"));
  }

  @ParameterizedTest(name = "chunksize={0}")
  @ValueSource(ints = {CHUNK_256K, CHUNK_1M})
  void resumableNextChunkLoopPrintsProgressAndStoresIdenticalBytes(int chunkSize)
      throws IOException {
    byte[] media = writeRandom("pig.png", ODD_SIZE);

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(chunkSize), "--name", "Pig");

    assertStored(client, result.json().get("animal"), media, "Pig", "image/png");
    assertSeedProgress(result, ODD_SIZE, chunkSize);
    assertChunks(result, ODD_SIZE, chunkSize, Integer.toString(ODD_SIZE));
  }

  @Test
  void resumableUploadOfAnExactMultipleOfTheChunkSizeEndsWithAFullChunkThatCompletesIt()
      throws IOException {
    byte[] media = writeRandom("pig.png", 4 * CHUNK_256K);

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(CHUNK_256K), "--name", "Pig");

    assertStored(client, result.json().get("animal"), media, "Pig", "image/png");
    assertSeedProgress(result, media.length, CHUNK_256K);
    // A MediaFileUpload knows its size: its last full chunk carries the total and gets the 200.
    // The empty final PUT only comes from media of unknown size (see the next test).
    assertChunks(result, media.length, CHUNK_256K, Integer.toString(media.length));
  }

  @Test
  void sizeUnknownMediaOfAnExactMultipleOfTheChunkSizeEndsWithAnEmptyFinalPut()
      throws IOException {
    byte[] media = writeRandom("generated.bin", 4 * CHUNK_256K);

    // The seed's "Extending MediaUpload": size() is None and there is no stream.
    PythonRunner.Result result = python.run("upload.py", "generated.bin", "--source", "custom",
        "--mimetype", "application/octet-stream", "--resumable",
        "--chunksize", Integer.toString(CHUNK_256K), "--name", "Generated");

    assertStored(client, result.json().get("animal"), media, "Generated",
        "application/octet-stream");
    List<JsonNode> puts = result.requests("PUT");
    assertThat(puts).as(result.trace()).hasSize(5);
    for (int i = 0; i < 4; i++) {
      assertThat(puts.get(i).path("content-range").asText())
          .isEqualTo("bytes %d-%d/*", i * CHUNK_256K, (i + 1) * CHUNK_256K - 1);
      assertThat(puts.get(i).path("status").asInt()).isEqualTo(308);
    }
    JsonNode last = puts.get(4);
    assertThat(last.path("content-range").asText()).isEqualTo("bytes 1048576-1048575/1048576");
    assertThat(last.path("content-length").asText()).isEqualTo("0");
    assertThat(last.path("status").asInt()).isEqualTo(200);
    assertThat(result.json().get("progress")).extracting(JsonNode::asLong)
        .containsExactly(262144L, 524288L, 786432L, 1048576L);
  }

  @Test
  void sizeUnknownMediaOfAnOddSizeDeclaresItsTotalWithTheShortLastChunk() throws IOException {
    byte[] media = writeRandom("generated.bin", 2 * CHUNK_256K + 999);

    PythonRunner.Result result = python.run("upload.py", "generated.bin", "--source", "custom",
        "--mimetype", "application/octet-stream", "--resumable",
        "--chunksize", Integer.toString(CHUNK_256K));

    assertStored(client, result.json().get("animal"), media, null, "application/octet-stream");
    assertThat(result.requests("PUT")).extracting(put -> put.path("content-range").asText())
        .containsExactly("bytes 0-262143/*", "bytes 262144-524287/*",
            "bytes 524288-525286/525287");
  }

  @Test
  void resumableUploadSmallerThanOneChunkIsOnePutThatCompletesIt() throws IOException {
    byte[] pig = write("pig.png", png(16, 16));

    PythonRunner.Result result = python.run("upload.py", "pig.png", "--mimetype", "image/png",
        "--resumable", "--chunksize", Integer.toString(CHUNK_256K), "--name", "Piglet");

    assertStored(client, result.json().get("animal"), pig, "Piglet", "image/png");
    assertThat(result.text()).containsExactly("Upload Complete!");
    assertChunks(result, pig.length, CHUNK_256K, Integer.toString(pig.length));
  }

  @ParameterizedTest(name = "{0}, resumable={1}")
  @CsvSource({"bytesio, false", "bytesio, true", "fileobj, false", "fileobj, true",
      "memory, false", "memory, true"})
  void streamAndInMemoryMediaUploadsStoreIdenticalBytes(String source, boolean resumable)
      throws IOException {
    int size = 2 * CHUNK_256K + 777;
    byte[] media = writeRandom("pig.png", size);
    List<String> args = new ArrayList<>(List.of("pig.png", "--source", source,
        "--mimetype", "image/png", "--chunksize", Integer.toString(CHUNK_256K),
        "--name", "Pig " + source));
    if (resumable) {
      args.add("--resumable");
    }

    PythonRunner.Result result = python.run("upload.py", args.toArray(String[]::new));

    assertStored(client, result.json().get("animal"), media, "Pig " + source, "image/png");
    if (resumable) {
      assertSeedProgress(result, size, CHUNK_256K);
      assertChunks(result, size, CHUNK_256K, Integer.toString(size));
    } else {
      assertThat(result.requests("PUT")).isEmpty();
      assertThat(result.requests("POST")).singleElement()
          .satisfies(post -> assertThat(post.path("uploadType").asText()).isEqualTo("multipart"));
    }
  }

  /**
   * The seed's loop printed "Uploaded N%." after each non-final chunk, with N rising as the
   * client computes it ({@code int(progress() * 100)}), then "Upload Complete!".
   */
  static void assertSeedProgress(PythonRunner.Result result, long size, int chunkSize) {
    List<Long> progress = new ArrayList<>();
    result.json().get("progress").forEach(p -> progress.add(p.asLong()));
    int nonFinalChunks = (int) ((size + chunkSize - 1) / chunkSize) - 1;
    List<String> expectedText = new ArrayList<>();
    List<Long> expectedProgress = new ArrayList<>();
    for (int i = 1; i <= nonFinalChunks; i++) {
      long bytes = (long) i * chunkSize;
      expectedProgress.add(bytes);
      expectedText.add("Uploaded " + (int) ((double) bytes / (double) size * 100) + "%.");
    }
    expectedText.add("Upload Complete!");
    assertThat(progress).isEqualTo(expectedProgress);
    assertThat(result.text()).isEqualTo(expectedText);
    List<Integer> percents = result.text().stream().filter(l -> l.startsWith("Uploaded "))
        .map(l -> Integer.parseInt(l.replaceAll("\\D", ""))).toList();
    assertThat(percents).isSorted().doesNotHaveDuplicates().allMatch(p -> p >= 0 && p < 100);
  }

  /** One PUT per chunk, in order, each a 308 but the last (a 200), every range as expected. */
  static void assertChunks(PythonRunner.Result result, long size, int chunkSize, String total) {
    List<JsonNode> puts = result.requests("PUT");
    int chunks = (int) ((size + chunkSize - 1) / chunkSize);
    assertThat(puts).as(result.trace()).hasSize(chunks);
    for (int i = 0; i < chunks; i++) {
      long first = (long) i * chunkSize;
      long last = Math.min(size, first + chunkSize) - 1;
      assertThat(puts.get(i).path("content-range").asText()).as(result.trace())
          .isEqualTo("bytes " + first + "-" + last + "/" + total);
      assertThat(puts.get(i).path("status").asInt()).as(result.trace())
          .isEqualTo(i == chunks - 1 ? 200 : 308);
    }
  }
}
