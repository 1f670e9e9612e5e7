package dev.farmapi.apiclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A peer that answers 200 with something that is not JSON (a proxy's HTML page). */
class MalformedAnswerTest {
  MockWebServer peer = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    peer.start();
  }

  @AfterEach
  void stop() throws Exception {
    peer.close();
  }

  @Test
  void completeAnswerThatIsNotJsonFailsAtOnceWithoutRetries() {
    for (int i = 0; i < 3; i++) {
      peer.enqueue(new MockResponse.Builder().code(200)
          .addHeader("Content-Type", "text/html").body("<html>Welcome to the proxy</html>").build());
    }
    ApiClient client = ApiClient.builder()
        .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(1), Duration.ofMillis(1)))
        .build();

    assertThatThrownBy(() -> client.request("POST", peer.url("/farm/v1/animals").uri())
            .body(Map.of("name", "Pig")).build().execute())
        .hasMessageContaining("is not JSON");
    assertThat(peer.getRequestCount()).isEqualTo(1);
  }
}
