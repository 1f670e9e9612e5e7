package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.RawHttp;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wrapper alone, around a handler that does what the Farm never should: a 308 with
 * {@code Location}. Whoever writes a 308 behind it, the browser gets no redirect to follow.
 */
class ResumeIncompleteTest {
  private Server jetty;
  private URI uri;

  /** Answers {@code /308} with 308 + Location + Range, anything else with a 404 and Location. */
  private static final class Careless extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      boolean resume = Request.getPathInContext(request).equals("/308");
      response.getHeaders().put(HttpHeader.LOCATION, "http://elsewhere.example/");
      response.getHeaders().put("Range", "bytes=0-99");
      response.setStatus(resume ? 308 : 404);
      byte[] body = (resume ? "" : "gone").getBytes(StandardCharsets.UTF_8);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
      return true;
    }
  }

  @BeforeEach
  void start() throws Exception {
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    jetty.setHandler(new ResumeIncomplete(new Careless()));
    jetty.start();
    uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
  }

  @Test
  void a308LosesItsLocationAndKeepsItsRange() throws Exception {
    RawHttp.Response r = RawHttp.request(uri, "PUT", "/308").body(new byte[0]).send();

    assertThat(r.status()).isEqualTo(308);
    assertThat(r.header("Location")).isNull();
    assertThat(r.header("Range")).isEqualTo("bytes=0-99");
  }

  @Test
  void no308ClientsGet200WithTheOverrideAndNoLocation() throws Exception {
    RawHttp.Response r = RawHttp.request(uri, "PUT", "/308")
        .header("X-GUploader-No-308", "Yes").body(new byte[0]).send();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-Http-Status-Code-Override")).isEqualTo("308");
    assertThat(r.header("Location")).isNull();
    assertThat(r.header("Range")).isEqualTo("bytes=0-99");
  }

  @Test
  void otherStatusesAreLeftAlone() throws Exception {
    RawHttp.Response r = RawHttp.request(uri, "GET", "/other")
        .header("X-GUploader-No-308", "yes").send();

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Location")).isEqualTo("http://elsewhere.example/");
    assertThat(r.header("X-Http-Status-Code-Override")).isNull();
  }
}
