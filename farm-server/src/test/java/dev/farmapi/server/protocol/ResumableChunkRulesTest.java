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
 * What the server does with chunks that do not simply follow the last one: overlaps, gaps,
 * wrong sizes, lying lengths and a changing total. Each time, the bytes held stay exactly the
 * client's, and the upload can still finish byte-exactly.
 */
class ResumableChunkRulesTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  private String range(String session, long total) throws Exception {
    RawHttp.Response r = farm.query(session, total);
    assertThat(r.status()).as("status query: %s", r).isEqualTo(308);
    return r.header("Range");
  }

  @Test
  void bytesAlreadyHeldAreSkippedNotRewritten() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256, 51);
    String session = farm.initiate(null, "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    // A resend from 0 whose first 256 KiB differ: the server must keep what it acknowledged.
    byte[] resend = slice(media, 0, 2 * K256);
    java.util.Arrays.fill(resend, 0, K256, (byte) 0x5A);

    RawHttp.Response overlap = farm.putChunk(session, 0, resend, media.length);
    RawHttp.Response same = farm.putChunk(session, K256, slice(media, K256, 2 * K256),
        media.length);

    assertThat(overlap.status()).isEqualTo(308);
    assertThat(overlap.header("Range")).isEqualTo("bytes=0-524287");
    assertThat(same.header("Range")).isEqualTo("bytes=0-524287");
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
  }

  @Test
  void aChunkPastTheHeldBytesAnswers308WithTheTrueRangeAndWritesNothing() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256 + 10, 52);
    String session = farm.initiate(null, "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    long onDisk = server.blobBytes();

    RawHttp.Response gap = farm.putChunk(session, 2 * K256, slice(media, 2 * K256,
        media.length), media.length);

    assertThat(gap.status()).isEqualTo(308);
    assertThat(gap.header("Range")).isEqualTo("bytes=0-262143");
    assertThat(server.blobBytes()).isEqualTo(onDisk);
    assertThat(range(session, media.length)).isEqualTo("bytes=0-262143");
    farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
  }

  @Test
  void nonFinalChunkNotAMultipleOf256KiBIs400AndWritesNothing() throws Exception {
    byte[] media = FarmTestClient.randomBytes(600_000, 53);
    String session = farm.initiate(null, "image/png", media.length);
    String unknown = farm.initiate(null, "image/png", -1);
    long onDisk = server.blobBytes();

    assertError(farm.putChunk(session, 0, slice(media, 0, 100_000), media.length), 400,
        "invalidChunkSize");
    assertError(farm.putChunk(session, 0, slice(media, 0, K256 + 1), media.length), 400,
        "invalidChunkSize");
    assertError(farm.putChunk(unknown, 0, slice(media, 0, 1000), -1), 400, "invalidChunkSize");

    assertThat(server.blobBytes()).isEqualTo(onDisk);
    assertThat(range(session, media.length)).isNull();
    assertThat(range(unknown, -1)).isNull();
    farm.putChunk(session, 0, slice(media, 0, 2 * K256), media.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
  }

  @Test
  void contentLengthDisagreeingWithContentRangeIs400AndWritesNothing() throws Exception {
    byte[] media = FarmTestClient.randomBytes(600_000, 54);
    String session = farm.initiate(null, "image/png", media.length);
    long onDisk = server.blobBytes();

    RawHttp.Response shorter = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 0-262143/600000").body(slice(media, 0, 1000)).send();

    assertError(shorter, 400, "invalidContentLength");
    assertThat(server.blobBytes()).isEqualTo(onDisk);
    assertThat(range(session, media.length)).isNull();
    farm.putChunk(session, 0, slice(media, 0, 2 * K256), media.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
  }

  @Test
  void aTotalThatChangesIs400AndTheSessionKeepsItsBytes() throws Exception {
    byte[] media = FarmTestClient.randomBytes(600_000, 55);
    String session = farm.initiate(null, "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);

    assertError(farm.putChunk(session, K256, slice(media, K256, 2 * K256), 700_000), 400,
        "totalChanged");
    assertError(farm.query(session, 700_000), 400, "totalChanged");

    assertThat(range(session, media.length)).isEqualTo("bytes=0-262143");
    farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
  }

  @Test
  void aStatusQueryCanFixTheTotalOfAnUnknownSizeUploadAndThenItCannotChange()
      throws Exception {
    byte[] media = FarmTestClient.randomBytes(K256 + 777, 56);
    String session = farm.initiate(null, "image/png", -1);
    farm.putChunk(session, 0, slice(media, 0, K256), -1);

    RawHttp.Response announce = farm.query(session, media.length);

    assertThat(announce.status()).isEqualTo(308);
    assertThat(announce.header("Range")).isEqualTo("bytes=0-262143");
    assertError(farm.query(session, K256), 400, "totalChanged");
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
        slice(media, K256, media.length), media.length)), media);
  }

  @Test
  void aTotalSmallerThanTheBytesHeldIs400() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256 + 50, 58);
    String session = farm.initiate(null, "image/png", -1);
    farm.putChunk(session, 0, slice(media, 0, 2 * K256), -1);

    assertError(farm.anonymous("PUT", session).header("Content-Range", "bytes 0-99/100")
        .body(slice(media, 0, 100)).send(), 400, "totalChanged");
    assertError(farm.query(session, K256), 400, "totalChanged");

    assertThat(range(session, -1)).isEqualTo("bytes=0-524287");
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
  }

  @Test
  void putWithoutContentRangeOrAQueryWithABodyIs400() throws Exception {
    byte[] media = FarmTestClient.randomBytes(1000, 57);
    String session = farm.initiate(null, "image/png", media.length);

    assertError(farm.anonymous("PUT", session).body(media).send(), 400, "invalidContentRange");
    assertError(farm.anonymous("PUT", session).header("Content-Range", "bytes */1000")
        .body(media).send(), 400, "invalidContentRange");

    assertThat(range(session, media.length)).isNull();
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 0, media, media.length)), media);
  }
}
