package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ProtocolAssert;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET farm/v1/animals/{id}?alt=media}: whole, ranged, resumed. The blob is a local file,
 * sent as mapped regions; {@link DownloadThroughABufferTest} runs the same over a store that
 * gives streams.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DownloadTest {
  /**
   * The server sends the first 4 MiB of a download through a buffer, then maps the file this
   * much at a time (MediaBody.MAP_MIN, MediaBody.REGION).
   */
  static final int REGION = 4 << 20;
  /**
   * The buffered 4 MiB and two regions, the last one short: whole downloads and long ranges
   * cross from the buffer to the mapped regions and from one region to the next.
   */
  static final int SIZE = 2 * REGION + 12_345;

  TestServer server;
  FarmTestClient farm;
  byte[] media;
  JsonNode animal;

  /** The server under test, with its data in {@code dir}. */
  TestServer startServer(Path dir) throws IOException {
    return TestServer.start(dir);
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = startServer(dir);
    farm = server.clientOfNewFarm();
    media = FarmTestClient.randomBytes(SIZE, 121);
    animal = farm.insertSimple(media, "image/png");
    assertStored(farm, animal, media);
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  private RawHttp.Response download(String... headers) throws Exception {
    RawHttp.Request r = farm.request("GET", "/farm/v1/animals/" + animal.get("id").asText()
        + "?alt=media");
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return r.send();
  }

  private String etag() {
    return "\"" + animal.get("md5Hash").asText() + "\"";
  }

  @Test
  void wholeMediaIs200WithEtagAndGoogHash() throws Exception {
    RawHttp.Response r = download();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("image/png");
    assertThat(r.header("ETag")).isEqualTo(etag());
    assertThat(r.header("X-Goog-Hash")).contains("md5=" + ProtocolAssert.md5Base64(media))
        .contains("crc32c=" + ProtocolAssert.crc32cBase64(media));
    assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(FarmTestClient.sha256(r.body())).isEqualTo(FarmTestClient.sha256(media));
  }

  @Test
  void rangesAre206WithContentRange() throws Exception {
    assertPartial(download("Range", "bytes=100-199"), 100, 199);
    assertPartial(download("Range", "bytes=" + (REGION - 100) + "-" + (REGION + 99)),
        REGION - 100, REGION + 99); // across a region's end
    assertPartial(download("Range", "bytes=" + (SIZE - 1000) + "-"), SIZE - 1000, SIZE - 1);
    assertPartial(download("Range", "bytes=-500"), SIZE - 500, SIZE - 1);
    assertPartial(download("Range", "bytes=" + (SIZE - 10) + "-" + (5 * SIZE)), SIZE - 10,
        SIZE - 1); // clipped
    assertPartial(download("Range", "bytes=1-"), 1, SIZE - 1); // every region off by one
    assertPartial(download("Range", "bytes=0-"), 0, SIZE - 1);
  }

  private void assertPartial(RawHttp.Response r, int first, int last) {
    assertThat(r.status()).as("%s", r.headers()).isEqualTo(206);
    assertThat(r.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + SIZE);
    assertThat(r.header("ETag")).isEqualTo(etag());
    assertThat(FarmTestClient.sha256(r.body()))
        .isEqualTo(FarmTestClient.sha256(Arrays.copyOfRange(media, first, last + 1)));
  }

  @Test
  void rangeBeyondTheSizeIs416JsonWithTheSize() throws Exception {
    for (String range : new String[] {"bytes=" + SIZE + "-",
        "bytes=" + 2 * SIZE + "-" + 3 * SIZE, "bytes=-0"}) {
      RawHttp.Response r = download("Range", range);

      assertError(r, 416, "requestedRangeNotSatisfiable");
      assertThat(r.header("Content-Range")).isEqualTo("bytes */" + SIZE);
    }
  }

  @Test
  void ifRangeWithAStaleEtagServesTheWholeMedia() throws Exception {
    RawHttp.Response stale = download("Range", "bytes=100-199", "If-Range", "\"old-etag\"");
    RawHttp.Response fresh = download("Range", "bytes=100-199", "If-Range", etag());

    assertThat(stale.status()).isEqualTo(200);
    assertThat(FarmTestClient.sha256(stale.body())).isEqualTo(FarmTestClient.sha256(media));
    assertPartial(fresh, 100, 199);
  }

  @Test
  void malformedOrMultipleRangesAreIgnored() throws Exception {
    for (String range : new String[] {"bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes=x-y"}) {
      RawHttp.Response r = download("Range", range);

      assertThat(r.status()).as(range).isEqualTo(200);
      assertThat(r.body()).as(range).hasSize(SIZE);
    }
  }

  @Test
  void downloadResumedWithARangeJoinsUpExactly() throws Exception {
    RawHttp.Response head = download("Range", "bytes=0-" + (REGION + 1000));
    RawHttp.Response rest = download("Range", "bytes=" + (REGION + 1001) + "-", "If-Range",
        head.header("ETag"));

    byte[] joined = new byte[SIZE];
    System.arraycopy(head.body(), 0, joined, 0, head.body().length);
    System.arraycopy(rest.body(), 0, joined, head.body().length, rest.body().length);
    assertThat(FarmTestClient.sha256(joined)).isEqualTo(FarmTestClient.sha256(media));
  }

  @Test
  void zeroByteMediaDownloadsEmpty() throws Exception {
    JsonNode empty = farm.insertSimple(new byte[0], "image/png");

    RawHttp.Response r = farm.request("GET", "/farm/v1/animals/" + empty.get("id").asText()
        + "?alt=media").send();
    RawHttp.Response ranged = farm.request("GET", "/farm/v1/animals/"
        + empty.get("id").asText() + "?alt=media").header("Range", "bytes=0-").send();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.header("Content-Length")).isEqualTo("0");
    assertThat(ranged.body()).isEmpty();
    assertStored(farm, empty, new byte[0]);
  }

  @Test
  void animalWithoutMediaIs404() throws Exception {
    String id = FarmTestClient.ok(farm.request("POST", "/farm/v1/animals").json("{}").send())
        .get("id").asText();

    assertError(farm.request("GET", "/farm/v1/animals/" + id + "?alt=media").send(), 404,
        "notFound");
  }

  @Test
  void altMediaOnAnotherMethodIs400() throws Exception {
    assertError(farm.request("DELETE", "/farm/v1/animals/" + animal.get("id").asText()
        + "?alt=media").send(), 400, "invalidParameter");
    assertThat(farm.get(animal.get("id").asText()).status()).isEqualTo(200);
  }
}
