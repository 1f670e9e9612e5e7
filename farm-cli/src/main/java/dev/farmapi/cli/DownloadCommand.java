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
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code farm download ID [-o FILE|DIR|-]}: an animal's picture through farm-client's
 * {@code MediaDownload}, which resumes, verifies and moves the file into place; this command
 * picks the file, shows progress and says what happened.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
    description = {"Download an animal's picture, verified against the server's CRC32C (and MD5"
        + " with --md5).",
        "The bytes wait in FILE.part until complete and verified; if the download is"
            + " interrupted, the same command again resumes where it stopped."})
final class DownloadCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = AnimalsCommand.ID)
  String id;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "A file (replaced once the download is complete), a folder, or - for stdout"
          + " (the summary then goes to stderr)."
          + " Default: the id with an extension from the picture's type (ID.png), here.")
  String output;

  @Option(names = "--md5", description = "Also compute the picture's MD5 and check it against"
      + " the server's (CRC32C always is: it catches the same corruption for a fiftieth of the"
      + " CPU).")
  boolean md5;

  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions out;

  @Override
  public Integer call() throws Exception {
    Farm farm = connection.farm(out, md5);
    Animal animal = farm.animals().get(id).execute();
    if (!animal.hasMedia()) {
      throw new Failures.CommandFailure(ExitCodes.NOT_FOUND,
          "animal " + id + " has no picture to download");
    }
    long total = animal.mediaSize();
    boolean toStdout = "-".equals(output);
    Path file = toStdout ? null : target(animal);
    // One request for the whole picture, as curl and gcloud make: the bytes stream to the file
    // whatever their number, a retry asks for the rest only, and every request costs both ends.
    MediaDownload download = (toStdout
        ? farm.animals().download(id, new StdoutStream(System.out))
        : farm.animals().download(id, file)).withChunkSize(-1);
    long resumeAt = download.resumableBytes();
    if (resumeAt > 0 && !out.quiet) {
      System.err.println("Resuming at " + Sizes.format(resumeAt) + " of " + Sizes.format(total)
          + " (from " + download.partialFile().orElseThrow() + ")");
    }
    DownloadResult result;
    try (ProgressView view = ProgressView.open("Downloading " + id, resumeAt,
        OptionalLong.of(total), out, System.err)) {
      result = download.withProgressListener(new Watch(view, resumeAt, out.quiet)).execute();
    } catch (ChecksumMismatchError e) {
      throw new Failures.CommandFailure(ExitCodes.INTEGRITY, "the picture "
          + (toStdout ? "written to stdout" : "downloaded") + " does not match the server's "
          + e.algorithm() + " (the server says " + e.expected() + ", the bytes have "
          + e.actual() + "): " + (toStdout ? "do not use it" : "discarded, nothing saved"), e);
    } catch (IOException e) {
      long kept = download.resumableBytes();
      if (!out.quiet && kept > 0) {
        System.err.println("Kept " + Sizes.format(kept) + " of " + Sizes.format(total) + " in "
            + download.partialFile().orElseThrow() + "; run the same command again to resume");
      }
      throw e;
    }
    report(result, animal, file);
    return ExitCodes.OK;
  }

  /** Where the file goes: {@code -o} itself, or the default name in {@code -o}'s folder or here. */
  private Path target(Animal animal) {
    String name = MediaFileNames.of(id, animal.mediaContentType());
    Path file = output == null ? Path.of(name) : Path.of(output);
    if (Files.isDirectory(file)) {
      file = file.resolve(name);
    }
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null && !Files.isDirectory(folder)) {
      throw new Failures.CommandFailure(ExitCodes.NOT_FOUND, "no such folder: " + folder);
    }
    return file;
  }

  /** One line (or JSON) on stdout; on stderr when stdout carries the picture itself. */
  private void report(DownloadResult result, Animal animal, Path file) {
    PrintStream to = file == null ? System.err : System.out;
    if (out.json) {
      ObjectNode json = JsonOutput.object()
          .put("id", id)
          .put("path", file == null ? "-" : file.toAbsolutePath().toString())
          .put("contentType", animal.mediaContentType())
          .put("size", result.size())
          .put("md5", result.md5())
          .put("crc32c", result.crc32c())
          .put("verified", result.verified())
          .put("etag", result.etag());
      result.verifiedBy().stream().sorted().forEach(json.putArray("verifiedBy")::add);
      JsonOutput.print(json, to);
      return;
    }
    String check = verification(result);
    to.println("Downloaded " + id + " to " + (file == null ? "stdout" : file) + ": "
        + Sizes.format(result.size()) + " (" + result.size() + " bytes), " + check);
    to.flush();
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

  /**
   * Feeds the progress view. A resumed download first rehashes its partial file, reporting
   * those bytes as it reads them: not progress, so skipped. A count that drops means the
   * picture changed on the server and the download started over: said once.
   */
  private static final class Watch implements DownloadProgressListener {
    private final ProgressView view;
    private final boolean quiet;
    private long rehashing;
    private long last;

    Watch(ProgressView view, long resumeAt, boolean quiet) {
      this.view = view;
      this.rehashing = resumeAt;
      this.quiet = quiet;
    }

    @Override
    public void onProgress(MediaDownloadProgress progress) {
      long done = progress.bytesDownloaded();
      if (done < rehashing) {
        return;
      }
      rehashing = 0;
      if (done < last && !quiet) {
        System.err.println("The picture changed on the server meanwhile; starting over");
      }
      last = done;
      view.update(done, progress.totalSize());
    }
  }
}
