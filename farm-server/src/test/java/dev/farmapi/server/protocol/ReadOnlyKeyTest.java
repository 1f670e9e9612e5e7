package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A read-only key lists, gets and downloads its farm's animals, and every write (insert, update,
 * patch, delete, uploads of every kind and both targets, chunks, status queries and cancels of a
 * session) is a 403 {@code insufficientPermissions} that changes nothing.
 */
class ReadOnlyKeyTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient writer;
  FarmTestClient reader;
  ApiKeys.NewKey readOnly;
  String farm;

  @BeforeEach
  void keys() throws Exception {
    farm = TestServer.newFarmName();
    writer = FarmTestClient.of(server.uri(),
        server.createKey(farm, ApiKeys.Options.DEFAULT).secret());
    readOnly = server.createKey(farm, ApiKeys.Options.DEFAULT.withReadOnly(true)
        .withNote("the kiosk"));
    reader = writer.withKey(readOnly.secret());
  }

  @Test
  void readOnlyKeyListsGetsAndDownloads() throws Exception {
    byte[] media = FarmTestClient.randomBytes(70_000, 61);
    JsonNode pig = writer.insertSimple(media, "image/png");
    String id = pig.get("id").asText();

    assertThat(reader.listIds()).containsExactly(id);
    assertThat(FarmTestClient.ok(reader.get(id)).get("etag")).isEqualTo(pig.get("etag"));
    assertStored(reader, pig, media); // the download, compared by hash
    RawHttp.Response part = reader.request("GET", "/farm/v1/animals/" + id + "?alt=media")
        .header("Range", "bytes=100-199").send();
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(slice(media, 100, 200));
  }

  @Test
  void whoamiTellsTheFarmTheKeyIdAndTheScope() throws Exception {
    JsonNode ro = FarmTestClient.ok(reader.request("GET", "/farm/v1/whoami").send());
    JsonNode rw = FarmTestClient.ok(writer.request("GET", "/farm/v1/whoami").send());

    assertThat(ro.get("kind").asText()).isEqualTo("farm#whoami");
    assertThat(ro.get("farm").asText()).isEqualTo(farm);
    assertThat(ro.get("keyId").asText()).isEqualTo(readOnly.key().id());
    assertThat(ro.get("readOnly").asBoolean()).isTrue();
    assertThat(rw.get("farm").asText()).isEqualTo(farm);
    assertThat(rw.get("readOnly").asBoolean()).isFalse();
    assertThat(ro.toString()).doesNotContain(readOnly.secret());
    assertError(reader.anonymous("GET", "/farm/v1/whoami").send(), 401, "unauthorized");
    assertError(reader.request("POST", "/farm/v1/whoami").send(), 405, "methodNotAllowed");
  }

  @Test
  void readOnlyKeyIsRefusedEveryWriteAndNothingChanges() throws Exception {
    byte[] media = FarmTestClient.randomBytes(50_000, 62);
    JsonNode pig = writer.insertMultipart("{\"name\":\"Pig\"}", media, "image/png");
    String id = pig.get("id").asText();
    byte[] big = FarmTestClient.randomBytes(2 * K256 + 77, 63);
    String session = writer.initiate("{\"name\":\"Cow\"}", "image/png", big.length);
    assertThat(writer.putChunk(session, 0, slice(big, 0, K256), big.length).status())
        .isEqualTo(308);

    List<RawHttp.Request> writes = writes(id, session, big.length);
    for (RawHttp.Request write : writes) {
      RawHttp.Response answer = write.send();
      JsonNode error = assertError(answer, 403, "insufficientPermissions");
      assertThat(error.get("status").asText()).isEqualTo("PERMISSION_DENIED");
      assertThat(error.get("message").asText()).contains(readOnly.key().id())
          .doesNotContain(readOnly.secret());
    }
    assertThat(writes).hasSize(15);

    JsonNode after = FarmTestClient.ok(writer.get(id));
    assertThat(after.get("etag")).isEqualTo(pig.get("etag"));
    assertThat(after.get("name").asText()).isEqualTo("Pig");
    assertStored(writer, after, media);
    assertThat(writer.listIds()).containsExactly(id);
    RawHttp.Response status = writer.query(session, big.length);
    assertThat(status.status()).isEqualTo(308);
    assertThat(status.header("Range")).isEqualTo("bytes=0-" + (K256 - 1));
    JsonNode cow = FarmTestClient.ok(writer.putChunk(session, K256, slice(big, K256, big.length),
        big.length));
    assertStored(writer, cow, big);
  }

  /** Every write the API has, sent with the read-only key. */
  private List<RawHttp.Request> writes(String id, String session, long total) {
    String animal = "/farm/v1/animals/" + id;
    String upload = "/upload/farm/v1/animals";
    byte[] multipart = FarmTestClient.multipart("b0undary", "\r\n", "{\"name\":\"x\"}",
        new byte[10], "image/png");
    List<RawHttp.Request> writes = new ArrayList<>();
    writes.add(reader.request("POST", "/farm/v1/animals").json("{\"name\":\"x\"}"));
    writes.add(reader.request("PUT", animal).json("{\"name\":\"x\"}"));
    writes.add(reader.request("PATCH", animal).json("{\"name\":\"x\"}"));
    writes.add(reader.request("DELETE", animal));
    writes.add(reader.request("DELETE", "/farm/v1/animals/neverIssued123"));
    writes.add(reader.anonymous("DELETE", animal + "?key=" + readOnly.secret()));
    for (String target : new String[] {upload, upload + "/" + id}) {
      String method = target.equals(upload) ? "POST" : "PUT";
      writes.add(reader.request(method, target + "?uploadType=media")
          .header("Content-Type", "image/png").body(new byte[10]));
      writes.add(reader.request(method, target + "?uploadType=multipart")
          .header("Content-Type", "multipart/related; boundary=b0undary").body(multipart));
      writes.add(reader.request(method, target + "?uploadType=resumable")
          .header("X-Upload-Content-Type", "image/png").json("{}"));
    }
    writes.add(reader.request("PUT", session)
        .header("Content-Range", "bytes " + K256 + "-" + (2 * K256 - 1) + "/" + total)
        .body(new byte[K256]));
    writes.add(reader.request("PUT", session).header("Content-Range", "bytes */" + total)
        .body(new byte[0]));
    writes.add(reader.request("DELETE", session));
    return writes;
  }
}
