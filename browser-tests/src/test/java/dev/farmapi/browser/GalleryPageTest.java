package dev.farmapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.TestServer;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** Signing in, the gallery (paging, edit, delete) and the page's safety, in Chromium. */
class GalleryPageTest {
  static final String HOSTILE = "<img src=x onerror=alert(1)>";

  @RegisterExtension static final TestServer server = TestServer.perClass();
  @RegisterExtension static final Chromium chromium = new Chromium();

  @TempDir Path dir;
  TestFarm farm;
  FarmPage page;

  @BeforeEach
  void freshFarm() throws Exception {
    chromium.resetNetwork();
    farm = TestFarm.create(server);
    page = new FarmPage(chromium, server.uri()).openFresh();
  }

  @Test
  void farmServeFromTheJarOpensSignedInFromItsLinkAndTheKeyNeverReachesAUrl() throws Exception {
    Path jar = Path.of(System.getProperty("farm.jar", "../farm-cli/target/farm.jar"));
    assertThat(jar).as("farm.jar: build it with 'mvn package' (or run 'mvn verify')").exists();
    Process serve = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
        "serve", "--port", "0", "--data", dir.resolve("farm-data").toString())
        .redirectErrorStream(true).start();
    try {
      String link = linkPrinted(serve);
      String key = link.substring(link.indexOf("#key=") + 5);
      chromium.requestedUrls(); // forget earlier tests' requests
      FarmPage served = new FarmPage(chromium, java.net.URI.create(link.substring(0, link.indexOf('#'))));

      chromium.driver().get(link);
      served.awaitGallery();
      assertThat(served.text("gallery-status")).isEqualTo("No animals yet.");
      assertThat(chromium.driver().getCurrentUrl()).doesNotContain("#", key);
      assertThat((String) chromium.script("return sessionStorage.getItem('farm.key')")).isEqualTo(key);
      Path pig = TestFiles.picture(dir, "Pig.png", new Color(240, 160, 170), 320, 240, false);
      served.pick(pig);
      served.awaitState("Pig.png", "done", Duration.ofSeconds(20));
      await().atMost(Duration.ofSeconds(10)).until(() -> served.cardNames().contains("Pig"));

      List<String> urls = chromium.requestedUrls();
      assertThat(urls).as("every request the page made").hasSizeGreaterThan(5)
          .anyMatch(u -> u.contains("upload_id=")).noneMatch(u -> u.contains(key));
      assertThat(chromium.console()).noneMatch(m -> m.contains("Content Security Policy"));
    } finally {
      chromium.driver().get("about:blank"); // no keep-alive connection left for the stop to wait on
      serve.destroy(); // SIGTERM: farm serve stops gracefully
      assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** The line {@code farm serve} prints for people: "The Farm in a browser: URL#key=KEY". */
  private static String linkPrinted(Process serve) throws Exception {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line; (line = out.readLine()) != null; ) {
      seen.add(line);
      if (line.startsWith("The Farm in a browser: ")) {
        Thread drain = new Thread(() -> {
          try {
            out.transferTo(java.io.Writer.nullWriter());
          } catch (java.io.IOException e) {
            // the server stopped
          }
        });
        drain.setDaemon(true);
        drain.start();
        return line.substring("The Farm in a browser: ".length()).trim();
      }
    }
    throw new AssertionError("farm serve printed no link: " + seen);
  }

  @Test
  void aTypedKeySignsInAndAWrongOneIsRefused() {
    page.openSignedOut();
    WebElement input = page.byId("key-input");
    input.sendKeys("farm_not-a-key", Keys.ENTER);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> page.text("sign-in-error").contains("not accepted"));
    assertThat(page.byId("gallery").isDisplayed()).isFalse();

    input.sendKeys(farm.key(), Keys.ENTER);
    page.awaitGallery();
    assertThat(page.byId("sign-in").isDisplayed()).isFalse();
    assertThat(page.byId("uploads").isDisplayed()).isTrue();
    assertThat(input.getDomProperty("value")).isEmpty();

    page.byId("sign-out").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> page.byId("sign-in").isDisplayed());
    assertThat((Object) chromium.script("return sessionStorage.getItem('farm.key')")).isNull();
  }

  @Test
  void pagesThroughTheFarmAndEditsAndDeletesWithTheKeyboard() throws Exception {
    for (int i = 1; i <= 14; i++) {
      farm.insert(String.format("Animal %02d", i), "sheep");
    }
    page.openWithKey(farm.key());

    assertThat(page.cardNames()).hasSize(12).startsWith("Animal 01").endsWith("Animal 12");
    assertThat(page.byId("prev-page").isEnabled()).isFalse();
    page.byId("next-page").sendKeys(Keys.ENTER);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> page.cardNames().equals(List.of("Animal 13", "Animal 14")));
    assertThat(page.byId("next-page").isEnabled()).isFalse();
    assertThat(page.text("page-number")).isEqualTo("Page 2");
    page.byId("prev-page").sendKeys(Keys.ENTER);
    await().atMost(Duration.ofSeconds(10)).until(() -> page.cardNames().size() == 12);

    // Edit, by keyboard only: Enter on Edit, type, Tab, type, Enter.
    page.card("Animal 02").findElement(By.className("edit")).sendKeys(Keys.ENTER);
    WebElement focused = chromium.driver().switchTo().activeElement();
    assertThat(focused.getDomProperty("className")).isEqualTo("edit-name");
    focused.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Daisy", Keys.TAB);
    chromium.driver().switchTo().activeElement()
        .sendKeys(Keys.chord(Keys.CONTROL, "a"), "cow", Keys.ENTER);
    await().atMost(Duration.ofSeconds(10)).until(() -> page.cardNames().contains("Daisy"));
    JsonNode daisy = farm.animalNamed("Daisy");
    assertThat(daisy.get("species").asText()).isEqualTo("cow");
    assertThat(page.card("Daisy").findElement(By.className("animal-species")).getText()).isEqualTo("cow");

    // Delete: Enter on Delete puts the focus on "Keep"; Shift+Tab to the real delete, Enter.
    String id = farm.animalNamed("Animal 03").get("id").asText();
    page.card("Animal 03").findElement(By.className("delete")).sendKeys(Keys.ENTER);
    WebElement keep = chromium.driver().switchTo().activeElement();
    assertThat(keep.getText()).isEqualTo("Keep");
    keep.sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
    WebElement really = chromium.driver().switchTo().activeElement();
    assertThat(really.getText()).isEqualTo("Delete Animal 03 for good");
    really.sendKeys(Keys.ENTER);
    await().atMost(Duration.ofSeconds(10)).until(() -> !page.cardNames().contains("Animal 03"));
    assertThat(farm.api().get(id).status()).isEqualTo(404);
    assertThat(page.cardNames()).hasSize(12).contains("Animal 13"); // the next one moved up
  }

  @Test
  void hostileNamesShowAsTypedAndRunNothing() throws Exception {
    farm.insert(HOSTILE, "<script>alert(2)</script>");
    Path picture = TestFiles.picture(dir, HOSTILE + ".png", new Color(200, 200, 90), 320, 240, false);
    page.openWithKey(farm.key());

    page.pick(picture); // a real file with that name, uploaded as the animal's name
    page.awaitState(HOSTILE + ".png", "done", Duration.ofSeconds(20));
    await().atMost(Duration.ofSeconds(10)).until(() -> page.cardNames().size() == 2);

    assertThat(page.cardNames()).containsExactly(HOSTILE, HOSTILE);
    assertThat(page.texts("#animals .animal-species")).contains("<script>alert(2)</script>");
    assertThat(farm.animals()).extracting(a -> a.get("name").asText()).containsOnly(HOSTILE);
    assertThat((Long) chromium.script("return document.querySelectorAll('img[src=\"x\"], #animals script,"
        + " #upload-list script, #upload-list img').length")).isZero();
    page.card(HOSTILE).findElement(By.className("edit")).click();
    assertThat(chromium.driver().switchTo().activeElement().getDomProperty("value")).isEqualTo(HOSTILE);
    assertThatThrownBy(() -> chromium.driver().switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
  }

  @Test
  void everyControlHasALabelAndTabReachesThem() throws Exception {
    farm.insert("Bella", "cow");
    page.openWithKey(farm.key());

    List<String> unlabelled = chromium.script(
        "return [...document.querySelectorAll('input, button, progress, select, textarea')]"
            + ".filter(e => e.offsetParent !== null)"
            + ".filter(e => !((e.labels && e.labels.length) || e.getAttribute('aria-label')"
            + "   || (e.tagName === 'BUTTON' && e.textContent.trim())))"
            + ".map(e => e.outerHTML)");
    assertThat(unlabelled).isEmpty();

    List<String> reached = new ArrayList<>();
    chromium.script("document.activeElement.blur(); window.scrollTo(0, 0);");
    // Real key presses to whatever has the focus (sendKeys to a file input would type a path).
    Actions keyboard = new Actions(chromium.driver());
    for (int i = 0; i < 12; i++) {
      keyboard.sendKeys(Keys.TAB).perform();
      WebElement active = chromium.driver().switchTo().activeElement();
      String id = active.getDomProperty("id");
      reached.add(id != null && !id.isEmpty() ? "#" + id : active.getText());
    }
    assertThat(reached).contains("#sign-out", "#file-input", "#species-input", "Edit", "Delete");
  }

  @Test
  void theGalleryShowsPicturesFetchedWithTheKeyInAHeader() throws Exception {
    farm.api().insertMultipart("{\"name\":\"Rosie\",\"species\":\"pig\"}",
        Files.readAllBytes(TestFiles.picture(dir, "rosie.png", new Color(240, 160, 170), 400, 300, false)),
        "image/png");
    page.openWithKey(farm.key());

    await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) chromium.script(
        "const img = document.querySelector('#animals img');"
            + " return !!img && img.complete && img.naturalWidth === 400;"));
    String src = page.card("Rosie").findElement(By.tagName("img")).getDomProperty("src");
    assertThat(src).startsWith("blob:");
    assertThat(chromium.requestedUrls()).anyMatch(u -> u.contains("alt=media"))
        .noneMatch(u -> u.contains(farm.key()));
  }
}
