package dev.farmapi.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.ChecksumMismatchError;
import dev.farmapi.apiclient.DownloadProgressListener;
import dev.farmapi.apiclient.DownloadResult;
import dev.farmapi.apiclient.MediaDownload;
import dev.farmapi.apiclient.MediaDownloadProgress;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * One picture of {@code farm download}: skipped when the file is already there with the server's
 * bytes (same size and CRC32C), else downloaded through farm-client's {@code MediaDownload},
 * which resumes from {@code FILE.part}, verifies and moves the file into place.
 */
final class FileDownload {
  private final Farm farm;
  private final String id;
  private final Animal animal;
  private final RateLimit limit;
  private final boolean force;

  /** {@code limit} null for no cap on the rate. */
  FileDownload(Farm farm, String id, Animal animal, RateLimit limit, boolean force) {
    this.farm = farm;
    this.id = id;
    this.animal = animal;
    this.limit = limit;
    this.force = force;
  }

  /** The picture's file name in {@code folder}: the id and an extension from its type. */
  static Path defaultTarget(Path folder, String id, Animal animal) {
    return folder.resolve(MediaFileNames.of(id, animal.mediaContentType()));
  }

  /** Whether {@code file} already holds the picture: its size and CRC32C are the server's. */
  boolean alreadyThere(Path file) throws IOException {
    if (force || !Files.isRegularFile(file) || animal.crc32c() == null
        || Files.size(file) != animal.mediaSize()) {
      return false;
    }
    CRC32C crc = new CRC32C();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    byte[] big = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    return Base64.getEncoder().encodeToString(big).equals(animal.crc32c());
  }

  /** The download to {@code file}, or to {@code out} when {@code file} is null. */
  MediaDownload prepare(Path file, OutputStream out) {
    // One request for the whole picture, as curl and gcloud make: the bytes stream to the file
    // whatever their number, a retry asks for the rest only, and every request costs both ends.
    return (file == null ? farm.animals().download(id, out) : farm.animals().download(id, file))
        .withChunkSize(-1);
  }

  /**
   * Runs {@code download}, its progress to {@code progress}; a checksum mismatch is said in
   * words, and bytes kept for a rerun are told.
   */
  DownloadResult run(MediaDownload download, FileProgress progress, boolean toStdout)
      throws IOException {
    long resumeAt = download.resumableBytes();
    if (resumeAt > 0) {
      progress.say("Resuming at " + Sizes.format(resumeAt) + " of "
          + Sizes.format(animal.mediaSize()) + " (from " + download.partialFile().orElseThrow()
          + ")");
    }
    progress.started(resumeAt);
    try {
      return download.withProgressListener(new Watch(progress, resumeAt, limit)).execute();
    } catch (ChecksumMismatchError e) {
      throw new Failures.CommandFailure(ExitCodes.INTEGRITY, "the picture "
          + (toStdout ? "written to stdout" : "downloaded") + " does not match the server's "
          + e.algorithm() + " (the server says " + e.expected() + ", the bytes have "
          + e.actual() + "): " + (toStdout ? "do not use it" : "discarded, nothing saved"), e);
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the rate limit's wait was interrupted
    } catch (IOException e) {
      long kept = download.resumableBytes();
      if (kept > 0) {
        progress.say("Kept " + Sizes.format(kept) + " of " + Sizes.format(animal.mediaSize())
            + " in " + download.partialFile().orElseThrow()
            + "; run the same command again to resume");
      }
      throw e;
    }
  }

  /** The {@code --json} object of a finished download. */
  ObjectNode json(Path file, DownloadResult result) {
    ObjectNode json = JsonOutput.object()
        .put("id", id)
        .put("status", "downloaded")
        .put("path", file == null ? "-" : file.toAbsolutePath().toString())
        .put("contentType", animal.mediaContentType())
        .put("size", result.size())
        .put("md5", result.md5())
        .put("crc32c", result.crc32c())
        .put("verified", result.verified())
        .put("etag", result.etag());
    result.verifiedBy().stream().sorted().forEach(json.putArray("verifiedBy")::add);
    return json;
  }

  /** The {@code --json} object of a picture already there. */
  ObjectNode skippedJson(Path file) {
    return JsonOutput.object()
        .put("id", id)
        .put("status", "skipped")
        .put("path", file.toAbsolutePath().toString())
        .put("contentType", animal.mediaContentType())
        .put("size", animal.mediaSize())
        .put("md5", animal.md5Hash())
        .put("crc32c", animal.crc32c());
  }

  /** The line of a finished download. */
  String line(Path file, DownloadResult result) {
    String check = verification(result);
    return "Downloaded " + id + " to " + (file == null ? "stdout" : file) + ": "
        + Sizes.format(result.size()) + " (" + result.size() + " bytes), " + check;
  }

  /** Which checksums were compared and matched, said with their values. */
  static String verification(DownloadResult result) {
    String crc = "crc32c " + result.crc32c();
    String md5 = result.md5() == null ? "" : ", md5 " + result.md5();
    if (!result.verified()) {
      return crc + md5 + ", NOT verified: the server sent no checksum";
    }
    return String.join(" and ", result.verifiedBy().stream().sorted()
        .map(a -> a + " " + (a.equals("md5") ? result.md5() : result.crc32c())).toList())
        + " verified";
  }

  String skippedLine(Path file) {
    return "Skipped " + id + ": " + file + " already holds its " + Sizes.format(animal.mediaSize())
        + " (crc32c " + animal.crc32c() + "); --force downloads it again";
  }

  /**
   * Feeds the progress and the rate cap. A resumed download first rehashes its partial file,
   * reporting those bytes as it reads them: not progress, not network, so skipped. A count that
   * drops means the picture changed on the server and the download started over: said once.
   * The listener runs in the thread that reads the response, after each write: waiting here for
   * the rate cap holds the reads back as a throttled sink would (the library keeps its
   * {@code .part} file to itself, so this is where a decorator can sit).
   */
  private static final class Watch implements DownloadProgressListener {
    private final FileProgress progress;
    private final RateLimit limit;
    private long rehashing;
    private long last;

    Watch(FileProgress progress, long resumeAt, RateLimit limit) {
      this.progress = progress;
      this.rehashing = resumeAt;
      this.last = resumeAt;
      this.limit = limit;
    }

    @Override
    public void onProgress(MediaDownloadProgress p) {
      long done = p.bytesDownloaded();
      if (done < rehashing) {
        return;
      }
      rehashing = 0;
      if (done < last) {
        progress.say("The picture changed on the server meanwhile; starting over");
      } else if (limit != null) {
        try {
          limit.take(done - last);
        } catch (InterruptedIOException e) {
          throw new UncheckedIOException(e);
        }
      }
      last = done;
      progress.at(done);
    }
  }
}
