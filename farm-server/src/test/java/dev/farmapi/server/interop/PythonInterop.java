package dev.farmapi.server.interop;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.TestServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the Python interop tests: a fresh {@link TestServer} per test, and a work folder
 * where the test writes source files and the scripts run (so that they name files as the seed
 * does: {@code 'pig.png'}).
 */
abstract class PythonInterop {
  static final int KIB = 1024;
  static final int MIB = 1024 * 1024;
  /** The guide's allowed chunk sizes, both multiples of 256 KiB. */
  static final int CHUNK_256K = 262144;
  static final int CHUNK_1M = 1048576;

  @TempDir Path dir;
  TestServer server;
  FarmTestClient client;
  PythonRunner python;

  @BeforeAll
  static void requirePythonClient() {
    PythonRunner.requireClient();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = TestServer.start(dir.resolve("data"));
    client = server.client();
    python = PythonRunner.against(server, work());
  }

  @AfterEach
  void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  Path work() {
    return dir.resolve("work");
  }

  /** Writes {@code bytes} to {@code name} in the work folder; returns the bytes. */
  byte[] write(String name, byte[] bytes) {
    try {
      Files.createDirectories(work());
      Files.write(work().resolve(name), bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deterministic bytes of {@code size}, written to {@code name}. */
  byte[] writeRandom(String name, int size) {
    return write(name, FarmTestClient.randomBytes(size, name.hashCode() + size));
  }

  /** A real PNG picture (noisy, so that it does not compress to nothing). */
  static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(width * 31L + height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, new Color(255, 160 + random.nextInt(60), 180 + random.nextInt(40))
            .getRGB());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
