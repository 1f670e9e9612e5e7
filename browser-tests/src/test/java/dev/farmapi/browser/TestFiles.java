package dev.farmapi.browser;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import javax.imageio.ImageIO;

/** Files for the page to upload: random bytes of any size, and pictures of animals. */
final class TestFiles {
  private TestFiles() {}

  /** {@code size} deterministic random bytes, written a MiB at a time. */
  static Path random(Path dir, String name, long size, long seed) throws IOException {
    Path file = dir.resolve(name);
    Random random = new Random(seed);
    byte[] buffer = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buffer.length) {
        random.nextBytes(buffer);
        out.write(buffer, 0, (int) Math.min(left, buffer.length));
      }
    }
    return file;
  }

  /**
   * A PNG of a cartoon animal in a field, {@code width} by {@code height}; {@code noise} adds
   * grain, which makes the PNG large (over 8 MiB, a chunk, at 2800 by 2000).
   */
  static Path picture(Path dir, String name, Color coat, int width, int height, boolean noise)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(135, 196, 235), 0, height * 0.6f, new Color(214, 236, 245)));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(96, 160, 72));
    g.fillRect(0, (int) (height * 0.62), width, height);
    int u = Math.min(width, height) / 10;
    int cx = width / 2;
    int cy = (int) (height * 0.55);
    g.setColor(coat.darker());
    g.setStroke(new BasicStroke(u * 0.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (int leg : new int[] {-2, -1, 1, 2}) {
      g.drawLine(cx + leg * u, cy, cx + leg * u, cy + 2 * u);
    }
    g.setColor(coat);
    g.fillOval(cx - 3 * u, cy - 2 * u, 6 * u, 3 * u);
    g.fillOval(cx + 2 * u, cy - 3 * u, 2 * u, 2 * u);
    g.setColor(Color.BLACK);
    g.fillOval(cx + 3 * u, cy - (int) (2.5 * u), u / 4 + 1, u / 4 + 1);
    if (noise) {
      Random random = new Random(name.hashCode());
      int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] ^= random.nextInt() & 0x1f1f1f;
      }
    }
    g.dispose();
    Path file = dir.resolve(name);
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
    return file;
  }

  static String sha256(Path file) {
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
        MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
