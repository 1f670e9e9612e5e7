package dev.farmapi.bench.run;

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
}
