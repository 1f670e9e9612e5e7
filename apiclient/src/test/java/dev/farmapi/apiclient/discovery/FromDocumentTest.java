package dev.farmapi.apiclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.apiclient.ApiClient;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Services built from documents written here, and documents that cannot be used. */
class FromDocumentTest {
  static final String MINIMAL = """
      {"name": "barn", "version": "v3", "rootUrl": "https://barn.example/", "servicePath": "barn/v3/",
       "resources": {"stalls": {
         "methods": {"get": {"id": "barn.stalls.get", "path": "stalls/{stall}", "httpMethod": "GET",
                             "parameters": {"stall": {"type": "string", "required": true, "location": "path"}},
                             "response": {"type": "object"}}},
         "resources": {"horses": {
           "resources": {"shoes": {"methods": {
             "count": {"id": "barn.stalls.horses.shoes.count", "path": "stalls/{stall}/horses/{horse}/shoes:count",
                       "httpMethod": "GET",
                       "parameters": {"stall": {"type": "string", "required": true, "location": "path"},
                                      "horse": {"type": "integer", "required": true, "location": "path"}}}}}}}}}}}
      """;

  @Test
  void buildsNestedResourcesFromAHandWrittenDocument() throws Exception {
    Service barn = Discovery.fromDocument(MINIMAL, ApiClient.create());
    Resource shoes = barn.resource("stalls").resource("horses").resource("shoes");

    URI uri = shoes.method("count").param("stall", "north 1").param("horse", 7).build().uri();

    assertThat(barn.name()).isEqualTo("barn");
    assertThat(barn.version()).isEqualTo("v3");
    assertThat(barn.rootUrl()).isEqualTo("https://barn.example/");
    assertThat(barn.resource("stalls").resourceNames()).containsExactly("horses");
    assertThat(barn.resource("stalls").resource("horses").methodNames()).isEmpty();
    assertThat(shoes.path()).isEqualTo("stalls.horses.shoes");
    // No response: no alt, as Python's RawModel (and no lone "?").
    assertThat(uri).hasToString("https://barn.example/barn/v3/stalls/north%201/horses/7/shoes:count");
  }

  @Test
  void namesWhatExistsWhenAResourceOrMethodDoesNot() throws Exception {
    Resource stalls = Discovery.fromDocument(MINIMAL, ApiClient.create()).resource("stalls");

    assertThatThrownBy(() -> stalls.resource("cows")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resource stalls has no resource \"cows\"; it has horses");
    assertThatThrownBy(() -> stalls.resource("horses").method("get"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resource stalls.horses has no method \"get\"; it has none");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not JSON                 | {"rootUrl":                                                 | must be JSON
      not an object            | ["rootUrl"]                                                 | a JSON object, not ARRAY
      no rootUrl               | {"servicePath": "x/"}                                       | the document has no rootUrl
      no servicePath           | {"rootUrl": "https://h/"}                                   | the document has no servicePath
      relative rootUrl         | {"rootUrl": "h/", "servicePath": ""}                        | rootUrl "h/" is not an http(s) URL
      method without path      | {"rootUrl": "https://h/", "servicePath": "", "methods": {"m": {"id": "x.m", "httpMethod": "GET"}}} | method x.m has no path
      method without id        | {"rootUrl": "https://h/", "servicePath": "", "methods": {"m": {"path": "m", "httpMethod": "GET"}}} | method m of the document has no id
      fractional maxSize       | {"rootUrl": "https://h/", "servicePath": "", "methods": {"m": {"id": "x.m", "path": "m", "httpMethod": "POST", "mediaUpload": {"maxSize": "1.5KB"}}}} | maxSize "1.5KB" is not a whole number
      single-letter unit       | {"rootUrl": "https://h/", "servicePath": "", "methods": {"m": {"id": "x.m", "path": "m", "httpMethod": "POST", "mediaUpload": {"maxSize": "1K"}}}}   | maxSize "1K"
      numeric maxSize          | {"rootUrl": "https://h/", "servicePath": "", "methods": {"m": {"id": "x.m", "path": "m", "httpMethod": "POST", "mediaUpload": {"maxSize": 1024}}}}   | maxSize is 1024, not a string
      range without slash      | {"rootUrl": "https://h/", "servicePath": "", "methods": {"m": {"id": "x.m", "path": "m", "httpMethod": "POST", "mediaUpload": {"accept": ["image"]}}}} | "image" is not a media type
      bad pattern              | {"rootUrl": "https://h/", "servicePath": "", "methods": {"m": {"id": "x.m", "path": "m", "httpMethod": "GET", "parameters": {"p": {"pattern": "(", "location": "query"}}}}} | pattern does not compile
      bad template prefix      | {"rootUrl": "https://h/", "servicePath": "", "methods": {"m": {"id": "x.m", "path": "{p:x}", "httpMethod": "GET"}}} | bad prefix in URI template variable {p:x}
      resource not an object   | {"rootUrl": "https://h/", "servicePath": "", "resources": {"r": []}}            | resource r is not a JSON object
      """)
  void refusesADocumentItCannotUseSayingWhy(String what, String json, String message) {
    assertThatThrownBy(() -> Discovery.fromDocument(json, ApiClient.create()))
        .isInstanceOf(InvalidDiscoveryDocumentError.class).hasMessageContaining(message);
  }

  @Test
  void anEmptyMediaUploadGivesNoMediaAndAMissingMaxSizeNoLimit() throws Exception {
    Service s = Discovery.fromDocument("""
        {"rootUrl": "https://h/", "servicePath": "", "methods": {
          "none": {"id": "x.none", "path": "n", "httpMethod": "POST", "mediaUpload": {}},
          "any": {"id": "x.any", "path": "a", "httpMethod": "POST", "mediaUpload": {"accept": ["*/*"]}}}}
        """, ApiClient.create());

    MethodSpec none = s.spec().root().methods().get("none");
    MethodSpec any = s.spec().root().methods().get("any");

    assertThat(none.mediaUpload()).isNull();
    assertThat(any.mediaUpload().maxSize()).isZero();
    assertThat(Urls.mediaUpload(any, Arguments.resolve(any, java.util.Map.of()), null))
        .hasToString("https://h/upload/a");
  }
}
