package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.server.ApiException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link MultipartReader#boundary}: the boundary out of a Content-Type header. */
class MultipartBoundaryTest {
  @Test
  void readsTheQuotedBoundaryThePythonClientSends() {
    assertThat(MultipartReader.boundary(
            "multipart/related; boundary=\"===============1234567890==\""))
        .isEqualTo("===============1234567890==");
  }

  @Test
  void readsAnUnquotedBoundaryEvenWithCharactersHttpTokensLack() {
    assertThat(MultipartReader.boundary("multipart/related; boundary=abc")).isEqualTo("abc");
    assertThat(MultipartReader.boundary("multipart/related;boundary====x=="))
        .isEqualTo("===x==");
    assertThat(MultipartReader.boundary("multipart/related; boundary=__END_OF_PART__0a1b__"))
        .isEqualTo("__END_OF_PART__0a1b__");
  }

  @Test
  void acceptsParametersInAnyOrderAndCase() {
    assertThat(MultipartReader.boundary(
            "Multipart/Related ; type=\"application/json\" ;BOUNDARY = \"b;c\\\"d\" ; start=x;"))
        .isEqualTo("b;c\"d");
    assertThat(MultipartReader.boundary("MULTIPART/RELATED;\tboundary=xyz;;charset=utf-8"))
        .isEqualTo("xyz");
  }

  @Test
  void keepsTheBoundaryCaseAsSent() {
    assertThat(MultipartReader.boundary("multipart/related; boundary=AbC")).isEqualTo("AbC");
  }

  @Test
  void acceptsSeventyCharactersAndInnerSpaces() {
    String seventy = "a b" + "c".repeat(67);
    assertThat(MultipartReader.boundary("multipart/related; boundary=\"" + seventy + "\""))
        .isEqualTo(seventy);
  }

  @ParameterizedTest
  @ValueSource(strings = {"multipart/form-data; boundary=x", "application/json", "multipart/mixed",
      "multipart/related-x; boundary=x", "text/plain; boundary=x",
      "mult\u0131part/related; boundary=x"})
  void rejectsOtherMediaTypesNamingTheExpectedOne(String contentType) {
    assertInvalid(contentType)
        .hasMessageContaining("not multipart/related")
        .hasMessageContaining("expected 'multipart/related; boundary=...'");
  }

  @Test
  void rejectsAMissingHeader() {
    assertInvalid(null).hasMessageContaining("Content-Type is missing");
    assertInvalid(" ").hasMessageContaining("Content-Type is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"multipart/related", "multipart/related;", "multipart/related; type=a/b",
      "multipart/related; boundaryx=y"})
  void rejectsAMissingBoundary(String contentType) {
    assertInvalid(contentType).hasMessageContaining("no boundary parameter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"multipart/related; boundary=", "multipart/related; boundary=\"\"",
      "multipart/related; boundary=;type=x"})
  void rejectsAnEmptyBoundary(String contentType) {
    assertInvalid(contentType).hasMessageContaining("boundary is empty");
  }

  @Test
  void rejectsABoundaryLongerThanSeventyCharacters() {
    assertInvalid("multipart/related; boundary=" + "x".repeat(71))
        .hasMessageContaining("71 characters long; expected at most 70");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "multipart/related; boundary=\"unclosed",
      "multipart/related; boundary=\"a\"b",
      "multipart/related; boundary=a b",
      "multipart/related; boundary=a; boundary=b",
      "multipart/related; boundary",
      "multipart/related; =x",
      "multipart/related; boundary=\"caf\u00e9\"",
      "multipart/related; boundary=\"a\tb\"",
      "multipart/related; boundary=\"ends with space \""})
  void rejectsMalformedParameters(String contentType) {
    assertInvalid(contentType).hasMessageContaining("is invalid");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String header) {
    return assertThatThrownBy(() -> MultipartReader.boundary(header))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.reason()).isEqualTo("invalidMultipart");
              assertThat(e.getMessage()).contains("expected");
            });
  }
}
