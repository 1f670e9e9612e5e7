package dev.farmapi.apiclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.farmapi.apiclient.ApiClient;

/**
 * Fuzz tests of {@link Discovery#fromDocument}: a discovery document is whatever a server sent.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/apiclient/discovery/DiscoveryFuzzTestInputs/} (the Farm's
 * own document among them).
 */
class DiscoveryFuzzTest {
  private static final ApiClient CLIENT = ApiClient.builder().build();
  /** Resources nest; a walk deeper than JSON's own nesting limit would be a loop. */
  private static final int MAX_WALK = 2000;

  /**
   * Any text is a service whose every resource and method can be looked up and described, or an
   * InvalidDiscoveryDocumentError; reading the same text twice gives the same service.
   */
  @FuzzTest(maxDuration = "10m")
  void anyDocumentIsAUsableServiceOrInvalid(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Service service;
    try {
      service = Discovery.fromDocument(text, CLIENT);
    } catch (InvalidDiscoveryDocumentError e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(service.baseUrl()).matches("(?is)https?:.*");
    int[] seen = {0};
    for (String name : service.methodNames()) {
      describe(service.method(name), seen);
    }
    for (String name : service.resourceNames()) {
      walk(service.resource(name), seen);
    }
    try {
      assertThat(Discovery.fromDocument(text, CLIENT).toString()).isEqualTo(service.toString());
    } catch (InvalidDiscoveryDocumentError e) {
      throw new AssertionError("the same text was read once and refused the second time", e);
    }
  }

  private static void walk(Resource resource, int[] seen) {
    assertThat(++seen[0]).isLessThan(MAX_WALK);
    assertThat(resource.toString()).isNotNull();
    for (String name : resource.methodNames()) {
      describe(resource.method(name), seen);
    }
    for (String name : resource.resourceNames()) {
      walk(resource.resource(name), seen);
    }
  }

  private static void describe(MethodCall method, int[] seen) {
    assertThat(++seen[0]).isLessThan(MAX_WALK);
    assertThat(method.id()).isNotNull();
    assertThat(method.httpMethod()).isNotBlank();
    assertThat(method.toString()).isNotNull();
  }
}
