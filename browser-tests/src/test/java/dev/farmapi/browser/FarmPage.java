package dev.farmapi.browser;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The Farm's page as a person uses it: sign in, pick files, click, read what it says. */
final class FarmPage {
  private final Chromium chromium;
  private final ChromeDriver driver;
  private final URI server;

  FarmPage(Chromium chromium, URI server) {
    this.chromium = chromium;
    this.driver = chromium.driver();
    this.server = server;
  }

  /** Opens the page signed out, with nothing left of earlier tests in the browser's storage. */
  FarmPage openFresh() {
    driver.get(server.toString());
    chromium.script("localStorage.clear(); sessionStorage.clear();");
    // Away, so that the next page loads anew: '/' to '/#key=' would only change the fragment,
    // and the page still signing in with the storage just cleared could race the new key.
    driver.get("about:blank");
    return this;
  }

  /** Opens {@code /} signed out (after {@link #openFresh()}). */
  FarmPage openSignedOut() {
    driver.get(server.toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> byId("sign-in").isDisplayed());
    return this;
  }

  /** Opens {@code /#key=KEY}, as the link {@code farm serve} prints, and waits for the gallery. */
  FarmPage openWithKey(String key) {
    driver.get(server + "#key=" + key);
    return awaitGallery();
  }

  FarmPage awaitGallery() {
    await().atMost(Duration.ofSeconds(15)).until(() -> driver.findElement(By.id("gallery")).isDisplayed()
        && !text("gallery-status").equals("Loading…"));
    return this;
  }

  String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  /** Picks files with the file input, as the file chooser would. */
  void pick(Path... files) {
    byId("file-input").sendKeys(Arrays.stream(files).map(Path::toString)
        .collect(Collectors.joining("\n")));
  }

  /** One upload row: its file name, state (data-state) and what its status line says. */
  record Row(String name, String state, String status, double sent) {}

  List<Row> rows() {
    List<Map<String, Object>> rows = chromium.script(
        "return [...document.querySelectorAll('li.upload')].map(li => ({"
            + "name: li.querySelector('.file-name').textContent, state: li.dataset.state,"
            + "status: li.querySelector('.upload-status').textContent,"
            + "sent: li.querySelector('progress').value}))");
    return rows.stream().map(r -> new Row((String) r.get("name"), (String) r.get("state"),
        (String) r.get("status"), ((Number) r.get("sent")).doubleValue())).toList();
  }

  Row row(String name) {
    return rows().stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no upload row for " + name + " in " + rows()));
  }

  Row awaitState(String name, String state, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
      Row r = row(name);
      if (r.state().equals("failed") && !state.equals("failed")) {
        throw new AssertionError("upload failed: " + r);
      }
      return r.state().equals(state);
    });
    return row(name);
  }

  /** Waits until the page says at least {@code bytes} of the file have been sent. */
  void awaitSent(String name, long bytes, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> row(name).sent() >= bytes);
  }

  /** Clicks a row's button: "Pause", "Resume", "Retry" or "Cancel". */
  void click(String name, String button) {
    WebElement li = driver.findElements(By.cssSelector("li.upload")).stream()
        .filter(e -> e.findElement(By.className("file-name")).getText().equals(name))
        .findFirst().orElseThrow();
    li.findElements(By.tagName("button")).stream()
        .filter(b -> b.isDisplayed() && b.getText().equals(button)).findFirst()
        .orElseThrow(() -> new AssertionError("no visible " + button + " button for " + name))
        .click();
  }

  /**
   * Records every state each upload row goes through (a MutationObserver in the page, started
   * by the test), so that a state that lasts a moment, as 'retrying' does, is not missed.
   */
  void recordStates() {
    chromium.script("window.__states = [];"
        + "new MutationObserver(ms => ms.forEach(m => {"
        + "  if (m.attributeName === 'data-state' || m.type === 'childList') {"
        + "    document.querySelectorAll('li.upload').forEach(li => {"
        + "      const e = li.querySelector('.file-name').textContent + ':' + li.dataset.state;"
        + "      if (window.__states[window.__states.length - 1] !== e) window.__states.push(e);"
        + "    });"
        + "  }"
        + "})).observe(document.getElementById('upload-list'),"
        + "  {subtree: true, childList: true, attributes: true, attributeFilter: ['data-state']});");
  }

  List<String> recordedStates() {
    return chromium.script("return window.__states;");
  }

  /**
   * The texts of the elements {@code css} selects, in order, read in one step: the gallery
   * redraws its cards after every change, and elements found a moment earlier go stale.
   */
  List<String> texts(String css) {
    return chromium.script("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", css);
  }

  /** The names on the gallery's cards, in order. */
  List<String> cardNames() {
    return texts("#animals .animal-name");
  }

  WebElement card(String name) {
    WebElement card = chromium.script("return [...document.querySelectorAll('#animals li.animal')]"
        + ".find(li => li.querySelector('.animal-name').textContent === arguments[0]) ?? null", name);
    if (card == null) {
      throw new AssertionError("no card for " + name + " in " + cardNames());
    }
    return card;
  }

  /** The unfinished uploads the page keeps in localStorage. */
  Map<String, String> savedSessions() {
    return chromium.script("const out = {}; for (let i = 0; i < localStorage.length; i++) {"
        + " const k = localStorage.key(i); if (k.startsWith('farm.upload.')) out[k] = localStorage.getItem(k); }"
        + " return out;");
  }
}
