package dev.farmapi.server.testing;

import dev.farmapi.server.store.S3Location;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A real S3 API for tests: S3Proxy (Maven Central's {@code org.gaul:s3proxy}, copied to
 * {@code target/s3proxy/s3proxy.jar} by the build) as a process of its own, over a temporary
 * folder (its filesystem backend), on a free port of 127.0.0.1. {@link #stop()} and
 * {@link #restart()} make the store unreachable and back, on the same port and data;
 * {@link #close()} stops it and deletes the folder.
 */
public final class TempS3Proxy implements AutoCloseable {
  public static final String IDENTITY = "farm-test-identity";
  public static final String CREDENTIAL = "farm-test-credential";
  private static final AtomicInteger buckets = new AtomicInteger();

  private final Path dir;
  private final int port;
  private Process process;

  private TempS3Proxy(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static TempS3Proxy start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("farm-s3-");
    Files.createDirectories(dir.resolve("data"));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + IDENTITY,
        "s3proxy.credential=" + CREDENTIAL,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + dir.resolve("data"),
        ""));
    TempS3Proxy proxy = new TempS3Proxy(dir, port);
    try {
      proxy.restart();
    } catch (IOException | RuntimeException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  /** Starts (again, after {@link #stop()}) on the same port and data. */
  public void restart() throws IOException, InterruptedException {
    Path jar = jar();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(),
        "--properties", dir.resolve("s3proxy.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // a loaded machine is slow
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly(); // never leave a half-started store behind
          throw new IOException("S3Proxy did not start: "
              + Files.readString(dir.resolve("s3proxy.log")), e);
        }
        Thread.sleep(100);
      }
    }
  }

  /** Kills the process (SIGKILL): the store becomes unreachable, its data stays. */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      process = null;
    }
  }

  /** The jar the build copied from Maven Central. */
  public static Path jar() {
    for (Path p : new Path[] {Path.of("target/s3proxy/s3proxy.jar"),
        Path.of("farm-server/target/s3proxy/s3proxy.jar")}) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
    }
    throw new IllegalStateException("target/s3proxy/s3proxy.jar is missing: run the tests"
        + " through Maven (the build copies org.gaul:s3proxy there)");
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A location in a new bucket of its own (the store creates it). */
  public S3Location newLocation() {
    return new S3Location("farm-test-" + buckets.incrementAndGet(), "farm/", endpoint(),
        "us-east-1");
  }

  /** The URL {@code farm serve --blobs} takes for {@code location}. */
  public String url(S3Location location) {
    return "s3://" + location.bucket() + "/" + location.prefix() + "?endpoint=" + endpoint()
        + "&region=" + location.region();
  }

  public static AwsCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
