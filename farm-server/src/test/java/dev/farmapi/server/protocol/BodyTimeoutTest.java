package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bodies that do not deliver their Content-Length: silent (408 after the 2 s body timeout) or
 * cut. What did arrive is kept durably or not at all, and the next 308 tells the truth.
 */
class BodyTimeoutTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  /** A chunk PUT that declares {@code declared} bytes and sends only {@code sent}. */
  private RawHttp.Request chunk(String session, long first, long declared, byte[] sent,
      long total) {
    return farm.anonymous("PUT", session)
        .header("Content-Range", "bytes " + first + "-" + (first + declared - 1) + "/" + total)
        .header("Content-Length", Long.toString(declared))
        .body(sent);
  }

  @Test
  void chunkWhoseBodyNeverArrivesIs408AndTheSessionIsIntact() throws Exception {
    // google-api-python-client's retry of a chunk: the Content-Length again, but no body.
    byte[] media = FarmTestClient.randomBytes(2 * K256, 81);
    String session = farm.initiate(null, "image/png", media.length);

    RawHttp.Response timedOut = chunk(session, 0, K256, new byte[0], media.length).send();

    assertError(timedOut, 408, "requestTimeout");
    RawHttp.Response status = farm.query(session, media.length);
    assertThat(status.status()).isEqualTo(308);
    assertThat(status.header("Range")).isNull();
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
        slice(media, K256, media.length), media.length)), media);
  }

  @Test
  void bodyThatFallsSilentMidwayKeepsWhatArrivedAndReportsIt() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 82);
    String session = farm.initiate(null, "image/png", media.length);
    int sent = 100_000;

    RawHttp.Response timedOut = chunk(session, 0, K256, slice(media, 0, sent), media.length)
        .send();

    assertError(timedOut, 408, "requestTimeout");
    long held = heldBytes(session, media.length);
    assertThat(held).isBetween(0L, (long) sent);
    // Resuming from the reported offset must give exactly the source: what was kept is right.
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, held,
        slice(media, held, media.length), media.length)), media);
  }

  @Test
  void bodyCutByADeadClientKeepsAtMostWhatWasSentAndTheUploadFinishesExactly()
      throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256, 83);
    String session = farm.initiate(null, "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    int sent = 150_000;

    farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 262144-524287/" + media.length)
        .body(slice(media, K256, 2 * K256))
        .sendAndAbandon(sent);

    long held = heldBytes(session, media.length);
    assertThat(held).isBetween((long) K256, (long) K256 + sent);
    // The client resends from the server's offset: a whole-chunk-multiple when it can.
    long from = held;
    while (from < media.length) {
      long end = Math.min(media.length, from + K256);
      RawHttp.Response r = farm.putChunk(session, from, slice(media, from, end), media.length);
      if (r.status() == 200) {
        assertStored(farm, r.json(), media);
        return;
      }
      assertThat(r.status()).as("%s", r).isEqualTo(308);
      from = Long.parseLong(r.header("Range").substring("bytes=0-".length())) + 1;
    }
    throw new AssertionError("the upload never completed");
  }

  @Test
  void chunkedBodyShorterThanItsContentRangeIs400AndKeepsWhatArrived() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 84);
    String session = farm.initiate(null, "image/png", media.length);
    byte[] part = slice(media, 0, 100_000);
    java.io.ByteArrayOutputStream chunked = new java.io.ByteArrayOutputStream();
    chunked.writeBytes((Integer.toHexString(part.length) + "\r\n").getBytes());
    chunked.writeBytes(part);
    chunked.writeBytes("\r\n0\r\n\r\n".getBytes());

    // The client finished its request and waits: it must hear what went wrong.
    RawHttp.Response r = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 0-262143/" + media.length)
        .header("Transfer-Encoding", "chunked").body(chunked.toByteArray()).send();

    assertError(r, 400, "incompleteBody");
    long held = heldBytes(session, media.length);
    assertThat(held).isBetween(0L, (long) part.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, held,
        slice(media, held, media.length), media.length)), media);
  }

  @Test
  void chunkedBodyLongerThanItsContentRangeIs400AndRecordsNothing() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 85);
    String session = farm.initiate(null, "image/png", media.length);
    byte[] tooMuch = slice(media, 0, K256 + 1000);
    java.io.ByteArrayOutputStream chunked = new java.io.ByteArrayOutputStream();
    chunked.writeBytes((Integer.toHexString(tooMuch.length) + "\r\n").getBytes());
    chunked.writeBytes(tooMuch);
    chunked.writeBytes("\r\n0\r\n\r\n".getBytes());

    RawHttp.Response r = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 0-262143/" + media.length)
        .header("Transfer-Encoding", "chunked").body(chunked.toByteArray()).send();

    assertError(r, 400, "invalidContentRange");
    assertThat(heldBytes(session, media.length)).isZero();
    assertStored(farm, farm.uploadResumable(null, media, K256), media);
  }

  @Test
  void simpleUploadWhoseBodyNeverArrivesIs408AndStoresNothing() throws Exception {
    long onDisk = server.blobBytes();

    RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "image/png").header("Content-Length", "5000")
        .body(new byte[1000]).send();

    assertError(r, 408, "requestTimeout");
    assertThat(farm.listIds()).isEmpty();
    assertThat(server.blobBytes()).isEqualTo(onDisk);
  }

  /** The bytes a status query says the server holds. */
  private long heldBytes(String session, long total) throws Exception {
    RawHttp.Response status = farm.query(session, total);
    assertThat(status.status()).as("%s", status).isEqualTo(308);
    String range = status.header("Range");
    return range == null ? 0 : Long.parseLong(range.substring("bytes=0-".length())) + 1;
  }
}
