package dev.farmapi.bench.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;

/** A source file on disk with its size and MD5 (what the server must report back). */
public record Source(Path path, long size, byte[] md5) {

  /** The MD5 as the server writes it: base64. */
  public String md5Base64() {
    return Base64.getEncoder().encodeToString(md5);
  }

  public String md5Hex() {
    return HexFormat.of().formatHex(md5);
  }

  /**
   * Reads the whole file once, in this process, so that every measured client finds it in the
   * page cache. Without it, whichever client ran after a large benchmark evicted the file paid
   * the disk reads as its own system time (seen: curl at 0.17 s of CPU one repetition, 1.2 s
   * the next).
   */
  public void warm() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel in = FileChannel.open(path)) {
      while (in.read(buffer.clear()) >= 0) {
        // reading is the point
      }
    }
  }
}
