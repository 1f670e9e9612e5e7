package dev.farmapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.testing.TestServer;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** A read-only key (GET farm/v1/whoami says so) sees the gallery and nothing to change it with. */
class ReadOnlyKeyPageTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();
  @RegisterExtension static final Chromium chromium = new Chromium();

  @TempDir Path dir;

  @Test
  void aReadOnlyKeySeesThePicturesWithoutUploadEditOrDelete() throws Exception {
    TestFarm farm = TestFarm.create(server);
    farm.api().insertMultipart("{\"name\":\"Rosie\",\"species\":\"pig\"}",
        Files.readAllBytes(TestFiles.picture(dir, "rosie.png", new Color(240, 160, 170), 400, 300, false)),
        "image/png");
    farm.insert("Bella", "cow");
    String readOnly = server.createKey(farm.name(), ApiKeys.Options.DEFAULT.withReadOnly(true)).secret();
    FarmPage page = new FarmPage(chromium, server.uri()).openFresh().openWithKey(readOnly);

    await().atMost(Duration.ofSeconds(10)).until(() -> page.cardNames().equals(List.of("Rosie", "Bella")));
    await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) chromium.script(
        "const img = document.querySelector('#animals img'); return !!img && img.naturalWidth === 400;"));
    assertThat(page.text("who")).contains("Farm " + farm.name(), "read-only");
    assertThat(page.byId("uploads").isDisplayed()).isFalse();
    assertThat(chromium.driver().findElements(By.cssSelector("#animals button"))).isEmpty();
    assertThat(chromium.driver().findElements(By.cssSelector("#animals .animal-name")))
        .hasSize(2);

    // The same farm with a read-write key: the controls are there.
    page.openFresh().openWithKey(farm.key());
    assertThat(page.text("who")).contains("Farm " + farm.name()).doesNotContain("read-only");
    assertThat(page.byId("uploads").isDisplayed()).isTrue();
    assertThat(page.card("Bella").findElements(By.tagName("button"))).extracting(e -> e.getText())
        .containsExactly("Edit", "Delete");
  }
}
