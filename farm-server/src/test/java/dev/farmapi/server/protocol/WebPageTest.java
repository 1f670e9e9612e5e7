package dev.farmapi.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web page as HTTP sees it: served at {@code /} with a policy that allows no inline
 * script, its files under {@code /web/}, and nothing else taken from the API's paths. (What the
 * page does is tested in a real browser, in the browser-tests module.)
 */
class WebPageTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  private RawHttp.Response get(String path) throws Exception {
    return RawHttp.request(server.uri(), "GET", path).send();
  }

  @Test
  void pageAtRootHasAStrictPolicyAndNoInlineScript() throws Exception {
    RawHttp.Response page = get("/");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    String csp = page.header("Content-Security-Policy");
    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'",
        "form-action 'none'", "frame-ancestors 'none'");
    assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    // Every script element loads a file; none carries code; no inline event handlers.
    assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(page.text()).find()).isFalse();
    assertThat(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(page.text()).find())
        .isFalse();
    assertThat(get("/index.html").text()).isEqualTo(page.text());
  }

  @Test
  void scriptsAndStylesAreServedWithTheirTypesAndRevalidated() throws Exception {
    RawHttp.Response js = get("/web/app.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(js.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(get("/web/farm.css").header("Content-Type")).isEqualTo("text/css; charset=utf-8");

    RawHttp.Response again = RawHttp.request(server.uri(), "GET", "/web/app.js")
        .header("If-None-Match", js.header("ETag")).send();
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void unknownOrHostileWebPathsFallThroughToTheApis404() throws Exception {
    for (String path : new String[] {"/web/nope.js", "/web/../farm.db", "/web/%2e%2e/admin.key",
        "/web/app.js/", "/web/App.JS", "/web/", "/dev/farmapi/server/web/app.js"}) {
      RawHttp.Response r = get(path);
      assertThat(r.status()).as(path).isIn(400, 404);
      assertThat(r.text()).as(path).doesNotContain("import ");
    }
  }

  @Test
  void onlyGetAndHeadReachThePage() throws Exception {
    var head = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(server.uri()).method("HEAD",
            java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(head.body()).isEmpty();
    RawHttp.Response post = RawHttp.request(server.uri(), "POST", "/").body("x").send();
    assertThat(post.status()).isEqualTo(404);
    assertThat(post.json().at("/error/code").asInt()).isEqualTo(404);
  }
}
