package dev.farmapi.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The demo's picture: a pig in a field, drawn in Java. The grass is noisy on purpose: it keeps
 * the PNG a few megabytes, so that the upload takes several chunks.
 */
final class DemoPicture {
  static final int WIDTH = 2400;
  static final int HEIGHT = 1500;

  private DemoPicture() {}

  static Path draw(Path file, long seed) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setPaint(new GradientPaint(0, 0, new Color(120, 180, 255), 0, HEIGHT / 2f,
          new Color(210, 235, 255)));
      g.fillRect(0, 0, WIDTH, HEIGHT / 2);
      grass(image, new Random(seed));
      g.setColor(new Color(255, 230, 90));
      g.fillOval(WIDTH - 260, 60, 150, 150); // the sun
      pig(g, WIDTH / 2 - 250, HEIGHT / 2 - 60);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  private static void grass(BufferedImage image, Random random) {
    for (int y = HEIGHT / 2; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int green = 110 + random.nextInt(90);
        image.setRGB(x, y, new Color(40 + random.nextInt(40), green, 30 + random.nextInt(30)).getRGB());
      }
    }
  }

  private static void pig(Graphics2D g, int x, int y) {
    Color pink = new Color(255, 170, 190);
    Color dark = new Color(220, 120, 150);
    g.setColor(dark);
    for (int leg = 0; leg < 4; leg++) {
      g.fillRoundRect(x + 80 + leg * 95, y + 230, 45, 130, 20, 20);
    }
    g.setColor(pink);
    g.fillOval(x, y, 500, 300); // body
    g.fillOval(x + 400, y - 40, 230, 210); // head
    g.setColor(dark);
    g.fillPolygon(new int[] {x + 430, x + 470, x + 500}, new int[] {y - 10, y - 90, y - 20}, 3);
    g.fillPolygon(new int[] {x + 550, x + 590, x + 610}, new int[] {y - 20, y - 95, y - 10}, 3);
    g.fillOval(x + 560, y + 60, 100, 70); // snout
    g.setColor(new Color(120, 50, 70));
    g.fillOval(x + 585, y + 85, 16, 22);
    g.fillOval(x + 620, y + 85, 16, 22);
    g.setColor(Color.BLACK);
    g.fillOval(x + 500, y + 30, 22, 22);
    g.fillOval(x + 570, y + 25, 22, 22);
    g.setColor(dark);
    g.setStroke(new BasicStroke(8));
    g.drawArc(x - 50, y + 60, 70, 70, 0, 270); // the tail
  }
}
