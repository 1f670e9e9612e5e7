package dev.farmapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.TestServer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The protocol as a script of another origin sees it in Chromium: with {@code --cors-origin} it
 * can start a session and read its {@code Location}, sees a 308 as a 308 (not followed) with its
 * {@code Range}, or asks for 200 + {@code X-Http-Status-Code-Override}; an origin not listed
 * gets nothing.
 */
class CrossOriginPageTest {
  @RegisterExtension static final Chromium chromium = new Chromium();

  static TestServer app; // the origin the script runs in
  static TestServer api; // lists app's origin
  static TestServer closed; // lists none

  @BeforeAll
  static void start() throws Exception {
    app = TestServer.start(Files.createTempDirectory("farm-app"));
    String origin = "http://127.0.0.1:" + app.uri().getPort();
    api = TestServer.start(Files.createTempDirectory("farm-api"), b -> b.corsOrigins(List.of(origin)));
    closed = TestServer.start(Files.createTempDirectory("farm-closed"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (TestServer s : new TestServer[] {app, api, closed}) {
      if (s != null) {
        s.close();
      }
    }
  }

  /** XHR, as the page uses it; a blocked or failed request resolves with status 0. */
  private static final String XHR = "const xhr = (method, url, headers, body) => new Promise(done => {"
      + " const q = new XMLHttpRequest(); q.open(method, url);"
      + " for (const h in headers) q.setRequestHeader(h, headers[h]);"
      + " q.onload = () => done(q); q.onerror = () => done({status: 0, getResponseHeader: () => null});"
      + " q.send(body); });";

  @Test
  void aListedOriginRunsTheResumableProtocolAndSees308sAsTheyAre() throws Exception {
    chromium.driver().get(app.uri() + "healthz"); // any page of the app's origin
    byte[] media = new byte[512 * 1024];
    for (int i = 0; i < media.length; i++) {
      media[i] = (byte) (i * 7);
    }

    Map<String, Object> r = cast(chromium.driver().executeAsyncScript(XHR
        + "const [api, key, done] = arguments;"
        + "const bytes = new Uint8Array(524288); for (let i = 0; i < bytes.length; i++) bytes[i] = i * 7;"
        + "(async () => { const r = {};"
        + " const init = await xhr('POST', api + 'upload/farm/v1/animals?uploadType=resumable',"
        + "   {Authorization: 'Bearer ' + key, 'Content-Type': 'application/json',"
        + "    'X-Upload-Content-Type': 'application/octet-stream', 'X-Upload-Content-Length': '524288'},"
        + "   '{\"name\":\"Remote\"}');"
        + " r.init = init.status; const session = r.location = init.getResponseHeader('Location');"
        + " const c1 = await xhr('PUT', session, {'Content-Range': 'bytes 0-262143/524288'}, bytes.slice(0, 262144));"
        + " r.plain = [c1.status, c1.getResponseHeader('Range'), c1.responseURL];"
        + " const q = await xhr('PUT', session, {'Content-Range': 'bytes */524288', 'X-GUploader-No-308': 'yes'}, null);"
        + " r.no308 = [q.status, q.getResponseHeader('X-Http-Status-Code-Override'), q.getResponseHeader('Range')];"
        + " const c2 = await xhr('PUT', session, {'Content-Range': 'bytes 262144-524287/524288'}, bytes.slice(262144));"
        + " r.done = [c2.status, JSON.parse(c2.responseText).id];"
        + " done(r); })();",
        api.uri().toString(), api.adminKey()));

    assertThat(r.get("init")).isEqualTo(200L);
    String session = (String) r.get("location");
    assertThat(session).startsWith(api.uri().toString()).contains("upload_id=");
    assertThat(r.get("plain")).isEqualTo(List.of(308L, "bytes=0-262143", session));
    assertThat(r.get("no308")).isEqualTo(List.of(200L, "308", "bytes=0-262143"));
    List<?> done = (List<?>) r.get("done");
    assertThat(done.get(0)).isEqualTo(200L);
    byte[] stored = api.client().download((String) done.get(1));
    assertThat(FarmTestClient.sha256(stored)).isEqualTo(FarmTestClient.sha256(media));
  }

  @Test
  void anOriginNotListedCanNeitherCallNorRead() {
    chromium.driver().get(app.uri() + "healthz");

    Object status = chromium.driver().executeAsyncScript(XHR
        + "const [api, key, done] = arguments;"
        + "xhr('GET', api + 'farm/v1/animals', {Authorization: 'Bearer ' + key}, null)"
        + ".then(q => done(q.status));", closed.uri().toString(), closed.adminKey());

    assertThat(status).isEqualTo(0L); // the preflight got no Access-Control-Allow-Origin
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object result) {
    return (Map<String, Object>) result;
  }
}
