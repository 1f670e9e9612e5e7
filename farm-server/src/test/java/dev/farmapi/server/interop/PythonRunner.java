package dev.farmapi.server.interop;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the interop scripts of the test resources ({@code python/*.py}) with the real
 * google-api-python-client, as {@code /usr/bin/python3 SCRIPT ROOT KEY ARGS...} against a
 * {@link TestServer}.
 *
 * <p>Only {@code /usr/bin/python3} with Debian's {@code python3-googleapi} (1.7.12) counts: the
 * tests pin that version's behaviour. Its absence is a failure, never a skip: CI installs it.
 */
final class PythonRunner {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final String CLIENT_VERSION = "1.7.12";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile boolean clientChecked;

  private final java.net.URI root;
  private final String key;
  private final Path workDir;

  private PythonRunner(java.net.URI root, String key, Path workDir) {
    this.root = root;
    this.key = key;
    this.workDir = workDir;
  }

  /** A runner against {@code server}; captured output goes to files in {@code workDir}. */
  static PythonRunner against(TestServer server, Path workDir) {
    return against(server.uri(), server.adminKey(), workDir);
  }

  /** A runner against the server (or balancer) at {@code root}, with {@code key}. */
  static PythonRunner against(java.net.URI root, String key, Path workDir) {
    requireClient();
    return new PythonRunner(root, key, workDir);
  }

  /** Runs {@code script} with ROOT and the admin KEY, then {@code args}; it must exit 0. */
  Result run(String script, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(),
        "-s", // no user site-packages: the system's client is the judge, not a pip install
        "-B", // no __pycache__ in the test classes
        "-u", // output as it happens, so a timeout still shows how far the script got
        script(script).toString(), root.toString(), key));
    command.addAll(List.of(args));
    Result result = exec(command, workDir);
    if (result.exitCode() != 0) {
      fail(script + " " + String.join(" ", args) + " exited with " + result.exitCode()
          + "\n--- stderr:\n" + result.stderr() + "\n--- stdout:\n" + String.join("\n",
          result.stdout()));
    }
    return result;
  }

  /** What a script printed: JSON result lines (starting with '{') and lines for people. */
  record Result(int exitCode, List<String> stdout, String stderr) {
    /** The last JSON line. */
    JsonNode json() {
      for (int i = stdout.size() - 1; i >= 0; i--) {
        if (stdout.get(i).startsWith("{")) {
          try {
            return JSON.readTree(stdout.get(i));
          } catch (IOException e) {
            throw new AssertionError("not JSON: " + stdout.get(i), e);
          }
        }
      }
      throw new AssertionError("the script printed no JSON result line; stdout: " + stdout
          + "\nstderr: " + stderr);
    }

    /** The lines a person would read, in order. */
    List<String> text() {
      return stdout.stream().filter(line -> !line.startsWith("{")).toList();
    }

    /** The requests with {@code method} the client made, as farmlib.py traced them. */
    List<JsonNode> requests(String method) {
      List<JsonNode> requests = new ArrayList<>();
      json().path("requests").forEach(r -> {
        if (r.path("method").asText().equals(method)) {
          requests.add(r);
        }
      });
      return requests;
    }

    /**
     * The client's requests after the discovery document, each as {@code "METHOD [Content-Range]
     * -> STATUS"} (or {@code -> ExceptionName} when it got no answer), e.g.
     * {@code "PUT bytes 0-262143/525287 -> 308"}.
     */
    List<String> exchanges() {
      List<String> exchanges = new ArrayList<>();
      json().path("requests").forEach(r -> {
        if (r.path("path").asText().startsWith("discovery/")) {
          return;
        }
        exchanges.add(r.path("method").asText()
            + (r.has("content-range") ? " " + r.get("content-range").asText() : "")
            + " -> " + (r.has("status") ? r.get("status").asText() : r.path("error").asText()));
      });
      return exchanges;
    }

    /** The trace of every request the client made, one a line, for failure messages. */
    String trace() {
      StringBuilder b = new StringBuilder("requests:");
      json().path("requests").forEach(r -> b.append("\n  ").append(r));
      return b.toString();
    }
  }

  private static Path script(String name) {
    URL url = PythonRunner.class.getResource("/python/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no script python/" + name + " in the test resources");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Result exec(List<String> command, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path out = Files.createTempFile(workDir, "python-", ".out");
      Path err = Files.createTempFile(workDir, "python-", ".err");
      Process process = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      process.getOutputStream().close(); // nothing on stdin
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        fail(String.join(" ", command.subList(3, command.size())) + " did not finish within "
            + TIMEOUT.toSeconds() + "s\n--- stderr:\n" + Files.readString(err)
            + "\n--- stdout:\n" + Files.readString(out));
      }
      return new Result(process.exitValue(),
          Files.readAllLines(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + command, e);
    }
  }

  /** Fails, with what to do about it, unless /usr/bin/python3 has the client these tests pin. */
  static void requireClient() {
    if (clientChecked) {
      return;
    }
    String install = "the Python interop tests need google-api-python-client " + CLIENT_VERSION
        + " for /usr/bin/python3: apt-get install python3-googleapi";
    if (!Files.isExecutable(PYTHON)) {
      fail(PYTHON + " is missing; " + install);
    }
    Path tmp;
    try {
      tmp = Files.createTempDirectory("python-check");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Result check = exec(List.of(PYTHON.toString(), "-s", "-B", "-c",
        "import googleapiclient, httplib2; print(googleapiclient.__version__);"
            + " print(googleapiclient.__file__)"), tmp);
    deleteQuietly(tmp);
    if (check.exitCode() != 0) {
      fail("/usr/bin/python3 cannot import googleapiclient; " + install + "\n" + check.stderr());
    }
    if (!check.stdout().get(0).equals(CLIENT_VERSION)) {
      fail("/usr/bin/python3 imports google-api-python-client " + check.stdout().get(0) + " from "
          + check.stdout().get(1) + "; these tests pin the behaviour of " + CLIENT_VERSION
          + " (Debian's python3-googleapi): " + install);
    }
    clientChecked = true;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
