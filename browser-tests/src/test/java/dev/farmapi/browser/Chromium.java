package dev.farmapi.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver (no driver or browser
 * download), with a fresh profile; one per test class:
 * {@code @RegisterExtension static final Chromium chromium = new Chromium();}.
 *
 * <p>Besides the WebDriver API, the DevTools protocol through chromedriver (version-free,
 * unlike Selenium's typed DevTools classes): network throttling and offline, extra request
 * headers, and the network log of every request the page made.
 */
final class Chromium implements BeforeAllCallback, AfterAllCallback {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChromeDriver driver;
  private Path profile;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException(BROWSER + " and " + DRIVER + " are needed: apt-get install"
          + " chromium chromium-driver (.ci/run installs them)");
    }
    profile = Files.createTempDirectory("farm-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1200",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (profile != null) {
        try (Stream<Path> files = Files.walk(profile)) {
          files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
      }
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  @SuppressWarnings("unchecked")
  <T> T script(String js, Object... args) {
    return (T) driver.executeScript(js, args);
  }

  Map<String, Object> cdp(String command, Map<String, Object> params) {
    return driver.executeCdpCommand(command, params);
  }

  /** Caps what the page can send, in bytes per second (downloads unthrottled). */
  void throttleUploads(long bytesPerSecond) {
    network(false, bytesPerSecond);
  }

  /** Pulls the network cable (as DevTools' "Offline"), or plugs it back unthrottled. */
  void offline(boolean offline) {
    network(offline, -1);
  }

  /** Full speed, online, no extra headers: the state each test starts from. */
  void resetNetwork() {
    network(false, -1);
    cdp("Network.setExtraHTTPHeaders", Map.of("headers", Map.of()));
  }

  private void network(boolean offline, long uploadBytesPerSecond) {
    cdp("Network.enable", Map.of());
    cdp("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
        "downloadThroughput", -1, "uploadThroughput", uploadBytesPerSecond));
  }

  /** Adds headers to every request the page makes, e.g. a retry test's id. */
  void extraHeaders(Map<String, String> headers) {
    cdp("Network.enable", Map.of());
    cdp("Network.setExtraHTTPHeaders", Map.of("headers", headers));
  }

  /** The URL of every request the browser sent since the last call (its network log). */
  List<String> requestedUrls() {
    List<String> urls = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      try {
        JsonNode message = JSON.readTree(entry.getMessage()).path("message");
        if (message.path("method").asText().equals("Network.requestWillBeSent")) {
          urls.add(message.at("/params/request/url").asText());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return urls;
  }

  /** What the page wrote to the console (and the browser's own errors about it: CSP, 404s). */
  List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage()).toList();
  }

  /** Saves a PNG of the window under target/screenshots; returns its path. */
  Path screenshot(String name) {
    try {
      Path dir = Path.of(System.getProperty("browser.screenshots", "target/screenshots"));
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
