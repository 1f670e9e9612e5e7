package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server that takes images of at most 1 MiB: 413 above the size, 415 for other types. */
class UploadLimitsTest {
  static final int MAX = 1 << 20;

  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.maxUploadSize(MAX).accept(List.of("image/*")));

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  private RawHttp.Response initiate(String type, String length) throws Exception {
    RawHttp.Request r = farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
        .header("X-Upload-Content-Type", type);
    if (length != null) {
      r.header("X-Upload-Content-Length", length);
    }
    return r.send();
  }

  @Test
  void initiationAboveTheMaximumIs413() throws Exception {
    assertError(initiate("image/png", Integer.toString(MAX + 1)), 413, "uploadTooLarge");

    assertThat(farm.listIds()).isEmpty();
  }

  @Test
  void anUploadOfExactlyTheMaximumIsAccepted() throws Exception {
    byte[] media = FarmTestClient.randomBytes(MAX, 71);
    String session = farm.initiate(null, "image/png", media.length);

    farm.putChunk(session, 0, slice(media, 0, 3 * K256), media.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 3 * K256,
        slice(media, 3 * K256, MAX), media.length)), media);
  }

  @Test
  void aChunkWhoseTotalExceedsTheMaximumIs413AndWritesNothing() throws Exception {
    byte[] media = FarmTestClient.randomBytes(5 * K256, 72);
    String declared = farm.initiate(null, "image/png", -1);
    long onDisk = server.blobBytes();

    assertError(farm.putChunk(declared, 0, slice(media, 0, K256), media.length), 413,
        "uploadTooLarge");
    assertThat(server.blobBytes()).isEqualTo(onDisk);

    // Growing past the maximum with the total still unknown is refused too.
    farm.putChunk(declared, 0, slice(media, 0, 4 * K256), -1);
    assertError(farm.putChunk(declared, 4 * K256, slice(media, 4 * K256, 5 * K256), -1), 413,
        "uploadTooLarge");
    assertThat(farm.query(declared, -1).header("Range")).isEqualTo("bytes=0-1048575");
    assertStored(farm, FarmTestClient.ok(farm.query(declared, MAX)), slice(media, 0, MAX));
  }

  @Test
  void simpleAndMultipartUploadsAboveTheMaximumAre413() throws Exception {
    byte[] media = FarmTestClient.randomBytes(MAX + 1, 73);
    long onDisk = server.blobBytes();

    assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "image/png").body(media).send(), 413, "uploadTooLarge");
    assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=multipart")
        .header("Content-Type", "multipart/related; boundary=b")
        .body(FarmTestClient.multipart("b", "\n", "{}", media, "image/png")).send(), 413,
        "uploadTooLarge");

    assertThat(farm.listIds()).isEmpty();
    assertThat(server.blobBytes()).isEqualTo(onDisk);
  }

  @Test
  void unacceptableMediaTypeIs415ForEveryUploadType() throws Exception {
    assertError(initiate("text/plain", "10"), 415, "unsupportedMediaType");
    assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "application/pdf").body(new byte[10]).send(), 415,
        "unsupportedMediaType");
    assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=multipart")
        .header("Content-Type", "multipart/related; boundary=b")
        .body(FarmTestClient.multipart("b", "\r\n", "{}", new byte[10], "video/mp4")).send(),
        415, "unsupportedMediaType");

    assertThat(farm.listIds()).isEmpty();
  }

  @Test
  void acceptedPatternMatchesAnyImageTypeWithParameters() throws Exception {
    byte[] media = FarmTestClient.randomBytes(500, 74);

    assertStored(farm, farm.insertSimple(media, "IMAGE/SVG+XML; charset=utf-8"), media);
  }
}
