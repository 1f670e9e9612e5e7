package dev.farmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code farm upload PATH...}: each file as the picture of a new animal. Resumable by default,
 * each file's session saved after every chunk so that the same command run again after a crash
 * resumes it; files it finished are remembered, and skipped by a rerun while unchanged. One file
 * prints its animal; many (several paths, a folder, a glob) go {@code -j} at a time under one
 * progress bar, with a line per file and a summary.
 */
@Command(name = "upload", mixinStandardHelpOptions = true,
    description = {"Upload files, each as the picture of a new animal.",
        "PATH is a file, a folder (every file below it) or a quoted glob ('photos/*.jpg')."
            + " Resumable by default: if interrupted, run the same command again; it resumes"
            + " each file where the server stands and skips the files it finished (unless they"
            + " changed, or --force). --simple and --multipart send each file in one request.",
        "Prints a line per file (for one file: its animal, as JSON with --json; for many, one"
            + " JSON object per line); progress and a summary go to stderr."},
    footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage, 3 auth, 4 not found (also a missing"
        + " PATH), 5 integrity (checksum mismatch), 6 server error or unreachable. With many files,"
        + " the code of their failures (1 if they differ), and the failed files are named."})
final class UploadCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, folders or globs.")
  List<String> paths;

  @Option(names = "--name", description = "The animal's name (default: the file's name).")
  String name;

  @Option(names = "--species", description = "The animal's species.")
  String species;

  @Option(names = "--mime", paramLabel = "TYPE",
      description = "Media type (default: guessed from the file's name).")
  String mime;

  @Option(names = "--chunk-size", paramLabel = "SIZE",
      description = "Chunk size of a resumable upload, a multiple of 256K (default: 8M).")
  Long chunkSize;

  @Option(names = "--force",
      description = "Upload files again even when an earlier run uploaded them unchanged.")
  boolean force;

  @ArgGroup(exclusive = true)
  Mode mode = new Mode();

  @Option(names = "--cache-dir", hidden = true,
      description = "Folder of saved sessions (default: $FARM_CACHE_DIR, else"
          + " $XDG_CACHE_HOME/farm, else ~/.cache/farm).")
  Path cacheDir;

  @Mixin TransferOptions transfer;
  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;

  /** How the media travels. */
  static final class Mode {
    @Option(names = "--resumable", description = "In a resumable session, in chunks (default).")
    boolean resumable;

    @Option(names = "--simple", description = "In one request, without metadata (no --name,"
        + " --species).")
    boolean simple;

    @Option(names = "--multipart", description = "In one request, with the metadata.")
    boolean multipart;
  }

  @Override
  public Integer call() throws Exception {
    FileUpload.Mode how = mode.simple ? FileUpload.Mode.SIMPLE
        : mode.multipart ? FileUpload.Mode.MULTIPART : FileUpload.Mode.RESUMABLE;
    checkOptions(how == FileUpload.Mode.RESUMABLE);
    transfer.check();
    List<Path> files = SourceFiles.expand(paths);
    boolean single = paths.size() == 1 && files.size() == 1
        && Files.isRegularFile(Path.of(paths.get(0)));
    if (files.size() > 1 && name != null) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "--name names one animal: with "
          + files.size() + " files, drop it (each animal is named after its file)");
    }
    String server = connection.server().toString();
    FileUpload.Settings settings = new FileUpload.Settings(connection.farm(output),
        UploadCache.locate(cacheDir), server, how, name, species, mime,
        chunkSize != null ? chunkSize : MediaUpload.DEFAULT_CHUNK_SIZE, transfer.rateLimit(),
        force, output.verbose);
    return single ? one(settings, files.get(0))
        : new Batch(output, System.out, System.err,
            new Batch.Words("Uploaded", "already uploaded (--force uploads them again)"))
            .run("Uploading " + files.size() + " files",
                files.stream().map(f -> new Task(settings, f)).toList(), transfer.parallel);
  }

  /** One file, as {@code farm upload FILE} always did: its animal on stdout. */
  private int one(FileUpload.Settings settings, Path path) throws IOException {
    PrintStream err = System.err;
    FileUpload.Result result;
    try (FileProgress.Single progress = new FileProgress.Single("Uploading "
        + path.getFileName(), OptionalLong.of(Files.size(path)), output, err)) {
      result = new FileUpload(settings, path).run(progress);
    } catch (FileUpload.PendingUpload e) {
      PrintWriter w = new PrintWriter(err, true);
      Failures.report(e.getCause(), output.verbose, w);
      w.println("farm: run the same command again to resume the upload ('farm uploads cancel "
          + path + "' forgets it)");
      return Failures.exitCode(e.getCause());
    }
    if (output.json) {
      JsonOutput.print(result.animal(), System.out); // the server's own fields, as it sent them
    } else {
      System.out.println(line(path, result));
    }
    return ExitCodes.OK;
  }

  /** The line of a finished file: {@code Uploaded pig.png as animal ID (1.2 MiB, md5 ...)}. */
  private static String line(Path path, FileUpload.Result result) {
    JsonNode a = result.animal();
    String what = Sizes.format(a.path("mediaSize").asLong())
        + (a.hasNonNull("md5Hash") ? ", md5 " + a.path("md5Hash").asText() : "");
    return result.skipped()
        ? "Skipped " + path.getFileName() + ": already uploaded as animal " + a.path("id").asText()
            + " (" + what + "); --force uploads it again"
        : "Uploaded " + path.getFileName() + " as animal " + a.path("id").asText() + " (" + what
            + ")";
  }

  /** One file of a batch. */
  private static final class Task implements Batch.Task {
    private final FileUpload.Settings settings;
    private final Path path;

    Task(FileUpload.Settings settings, Path path) {
      this.settings = settings;
      this.path = path;
    }

    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public long size() {
      try {
        return Files.size(path);
      } catch (IOException e) {
        return 0; // it fails when it runs, and says why
      }
    }

    @Override
    public Outcome run(FileProgress progress) {
      try {
        FileUpload.Result result = new FileUpload(settings, path).run(progress);
        if (result.skipped()) {
          progress.started(size());
        }
        return new Outcome(name(), result.skipped() ? Outcome.Status.SKIPPED : Outcome.Status.DONE,
            FileUpload.json(path).put("status", result.skipped() ? "skipped" : "uploaded")
                .set("animal", result.animal()), line(path, result), null);
      } catch (IOException | RuntimeException e) {
        return Outcome.failed(name(), FileUpload.json(path), e);
      }
    }
  }

  private void checkOptions(boolean resumable) {
    if (mode.simple && (name != null || species != null)) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "--simple sends no metadata: drop"
          + " --name and --species, or use --multipart or a resumable upload");
    }
    if (chunkSize != null && !resumable) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "--chunk-size applies to resumable"
          + " uploads only, not to --simple or --multipart");
    }
    if (chunkSize != null
        && (chunkSize <= 0 || chunkSize % MediaUpload.CHUNK_GRANULARITY != 0)) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "--chunk-size " + Sizes.format(chunkSize)
          + " is not a positive multiple of 256K (the protocol's granularity), e.g. 256K, 8M");
    }
  }
}
