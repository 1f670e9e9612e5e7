package dev.farmapi.apiclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What calls send, as a recording server received it, and what they refuse to send. */
class MethodCallTest {
  RecordingServer server;
  Resource enclosures;
  Resource keepers;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingServer();
    ObjectNode doc = (ObjectNode) DiscoveryParityTest.read("parity-document.json");
    doc.put("rootUrl", server.root());
    enclosures = Discovery.fromDocument(doc, ApiClient.create()).resource("enclosures");
    keepers = enclosures.resource("keepers");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void asksForJsonWithAltAndAcceptWhenTheMethodHasAResponse() throws Exception {
    enclosures.method("get").param("enclosureId", "e 1").param("tags", List.of("a", "b"))
        .header("X-Trace", "t1").execute();

    RecordedRequest sent = server.take();
    assertThat(sent.getMethod()).isEqualTo("GET");
    assertThat(sent.getTarget()).isEqualTo("/zoo/v2/enclosures/e%201?tags=a&tags=b&alt=json");
    assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
    assertThat(sent.getHeaders().get("X-Trace")).isEqualTo("t1");
  }

  @Test
  void acceptsAnythingAndAddsNoAltWhenTheMethodHasNoResponse() throws Exception {
    keepers.method("remove").param("enclosureId", "e1").param("keeperId", "k1").execute();

    RecordedRequest sent = server.take();
    assertThat(sent.getMethod()).isEqualTo("DELETE");
    assertThat(sent.getTarget()).isEqualTo("/zoo/v2/enclosures/e1/keepers/k1");
    assertThat(sent.getHeaders().get("Accept")).isEqualTo("*/*");
  }

  @Test
  void sendsMediaToTheUploadPathSimpleAloneAndMultipartWithABody() throws Exception {
    byte[] picture = "\u0089PNG fake".getBytes(StandardCharsets.ISO_8859_1);
    MethodCall upload = keepers.method("upload").param("enclosureId", "e/1").param("keeperId", "k")
        .mediaBody(MediaInMemoryUpload.of(picture, "image/png"));

    upload.execute();
    keepers.method("upload").param("enclosureId", "e1").param("keeperId", "k")
        .body(Map.of("name", "Kim")).mediaBody(MediaInMemoryUpload.of(picture, "image/png"))
        .execute();

    RecordedRequest simple = server.take();
    assertThat(simple.getMethod()).isEqualTo("PUT");
    assertThat(simple.getTarget())
        .isEqualTo("/upload/zoo/v2/enclosures/e%2F1/keepers/k?alt=json&uploadType=media");
    assertThat(simple.getHeaders().get("Content-Type")).isEqualTo("image/png");
    assertThat(simple.getBody().toByteArray()).isEqualTo(picture);
    RecordedRequest multipart = server.take();
    assertThat(multipart.getTarget())
        .isEqualTo("/upload/zoo/v2/enclosures/e1/keepers/k?alt=json&uploadType=multipart");
    assertThat(multipart.getHeaders().get("Content-Type")).startsWith("multipart/related");
    assertThat(multipart.getBody().utf8()).contains("{\"name\":\"Kim\"}");
  }

  @Test
  void refusesBodyOrMediaTheMethodDoesNotTakeAndATypeWithoutAFile() throws Exception {
    assertThatThrownBy(() -> enclosures.method("get").param("enclosureId", "e")
            .body(Map.of("a", 1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("zoo.enclosures.get (GET) takes no body");
    assertThatThrownBy(() -> enclosures.method("move").param("name", "enclosures/e")
            .mediaBody(MediaInMemoryUpload.of(new byte[1], "image/png")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no media");
    assertThatThrownBy(() -> keepers.method("upload").param("enclosureId", "e")
            .param("keeperId", "k").mediaBody(MediaInMemoryUpload.of(new byte[1], "image/png"))
            .mediaMimeType("image/gif").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mediaBody(Path)");
    assertThatThrownBy(() -> keepers.method("upload").param("enclosureId", "e")
            .param("keeperId", "k").mediaBody(Path.of("no-such-file.png")).build())
        .isInstanceOf(NoSuchFileException.class);
    assertThat(server.take(100)).isNull();
  }

  @Test
  void takesListsOnlyForRepeatedParametersAndNullAsAbsent() throws Exception {
    MethodCall get = enclosures.method("get").param("enclosureId", "e");

    assertThatThrownBy(() -> get.param("view", List.of("FULL")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not repeated");
    assertThatThrownBy(() -> get.param("view", null).param("tags", new String[] {"a"}).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a List, not an array");
    assertThat(get.param("tags", null).param("open", "FALSE").build().uri().getRawQuery())
        .isEqualTo("open=false&alt=json");
    assertThatThrownBy(() -> get.param("open", "yes").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("of type boolean");
  }

  @Test
  void aStartedCallKeepsItsRequestAndCannotBeChanged() throws Exception {
    MethodCall get = enclosures.method("get").param("enclosureId", "e");
    HttpRequest<?> built = get.build();

    get.execute();
    get.execute();

    assertThat(get.build()).isNotSameAs(built); // build() stays independent of the kept request
    assertThat(server.take().getTarget()).isEqualTo(server.take().getTarget());
    assertThatThrownBy(() -> get.param("view", "FULL")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has started");
    assertThat(server.take(100)).isNull();
  }

  @Test
  void pagesOnlyMethodsThatPageAndDownloadsOnlyMethodsThatSupportIt() throws Exception {
    MethodCall move = enclosures.method("move").param("name", "enclosures/e");

    assertThatThrownBy(() -> move.next(JsonNodeFactory.instance.objectNode().put("nextPageToken", "t")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not page");
    assertThatThrownBy(move::mediaUri).isInstanceOf(IllegalStateException.class)
        .hasMessage("zoo.enclosures.move does not support media download");
    assertThat(enclosures.method("get").param("enclosureId", "e").mediaUri())
        .hasToString(server.root() + "zoo/v2/enclosures/e?alt=media");
  }

  @Test
  void refusesAnAnswerThatIsNotADiscoveryDocument() {
    assertThatThrownBy(() -> Discovery.build(java.net.URI.create(server.root() + "rest"),
            ApiClient.create()))
        .isInstanceOf(InvalidDiscoveryDocumentError.class).hasMessageContaining("no rootUrl");
  }

}
