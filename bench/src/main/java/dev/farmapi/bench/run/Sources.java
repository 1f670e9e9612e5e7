package dev.farmapi.bench.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random source files, made once and kept (with their MD5 beside them) under a cache folder:
 * incompressible, so that no client or transport gains from compression.
 */
public final class Sources {
  private static final int BUFFER = 8 << 20;
  private final Path dir;

  public Sources(Path dir) {
    this.dir = dir;
  }

  /** A random file of {@code size} bytes (cached by size). */
  public Source file(long size) throws IOException {
    Path path = dir.resolve("random-" + size + ".bin");
    return cached(path, size, size);
  }

  /** {@code count} random files of {@code size} bytes each (cached), in a list file too. */
  public List<Source> smallFiles(int count, int size) throws IOException {
    Path folder = dir.resolve("small-" + count + "x" + size);
    Files.createDirectories(folder);
    List<Source> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(cached(folder.resolve(String.format("f%05d.bin", i)), size, i * 7919L + size));
    }
    return out;
  }

  /** Writes the paths of {@code files}, one a line, for the clients' small mode. */
  public static Path listFile(List<Source> files, Path where) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Source s : files) {
      lines.add(s.path().toString());
    }
    Files.createDirectories(where.getParent());
    return Files.write(where, lines);
  }

  private Source cached(Path path, long size, long seed) throws IOException {
    Path md5File = path.resolveSibling(path.getFileName() + ".md5");
    if (Files.exists(md5File) && Files.exists(path) && Files.size(path) == size) {
      return new Source(path, size, HexFormat.of().parseHex(Files.readString(md5File).strip()));
    }
    Files.createDirectories(path.getParent());
    MessageDigest md5 = md5();
    SplittableRandom random = new SplittableRandom(seed);
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(size, 8)));
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long left = size;
      while (left > 0) {
        buf.clear();
        while (buf.remaining() >= 8) {
          buf.putLong(random.nextLong());
        }
        buf.flip();
        buf.limit((int) Math.min(buf.limit(), left));
        md5.update(buf.duplicate());
        left -= buf.remaining();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    }
    byte[] digest = md5.digest();
    Files.writeString(md5File, HexFormat.of().formatHex(digest));
    return new Source(path, size, digest);
  }

  /** MD5 of whatever is streamed in (for checks of sources that are not files). */
  public static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
