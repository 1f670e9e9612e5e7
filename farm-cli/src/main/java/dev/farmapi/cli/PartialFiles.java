package dev.farmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.apiclient.MediaDownload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a download into a file left behind, read the way {@code MediaDownload} documents it: the
 * bytes in {@code FILE.part}, and the sidecar {@code FILE.part.json} naming the media they are
 * of. The library resumes on its own; this only lets the command say so.
 */
final class PartialFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PartialFiles() {}

  /**
   * The bytes {@code download} will continue from: its partial file's, when the sidecar names
   * the same media and they are no more than {@code total}; 0 when it starts from scratch.
   */
  static long resumableBytes(MediaDownload download, long total) {
    Path part = download.partialFile().orElse(null);
    if (part == null) {
      return 0;
    }
    Path sidecar = part.resolveSibling(part.getFileName() + ".json");
    try {
      long length = Files.isRegularFile(part) ? Files.size(part) : 0;
      if (length == 0 || length > total || !Files.isRegularFile(sidecar)) {
        return 0;
      }
      JsonNode saved = JSON.readTree(sidecar.toFile());
      return download.uri().toString().equals(saved.path("uri").asText()) ? length : 0;
    } catch (IOException e) {
      return 0; // unreadable: the library will find it so too, and start over
    }
  }

  /** After a failure: how much is kept, and how to go on from there. */
  static void sayKept(MediaDownload download, long total, PrintStream err) {
    long kept = resumableBytes(download, total);
    if (kept > 0) {
      err.println("Kept " + Sizes.format(kept) + " of " + Sizes.format(total) + " in "
          + download.partialFile().orElseThrow() + "; run the same command again to resume");
      err.flush();
    }
  }
}
