package dev.farmapi.cli;

import dev.farmapi.apiclient.DownloadResult;
import dev.farmapi.apiclient.MediaDownload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code farm download ID... [-o FILE|DIR|-]}: animals' pictures through farm-client's
 * {@code MediaDownload}, which resumes, verifies and moves each file into place; this command
 * picks the files, skips those already there, shows progress and says what happened. Many ids
 * go {@code -j} at a time under one progress view, as {@code farm upload} does.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
    description = {"Download animals' pictures, verified against the server's CRC32C (and MD5"
        + " with --md5).",
        "The bytes wait in FILE.part until complete and verified; if a download is"
            + " interrupted, the same command again resumes where it stopped. A file already"
            + " holding the picture (same size and CRC32C) is skipped unless --force."})
final class DownloadCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "ID", description = AnimalsCommand.ID)
  List<String> ids;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "A file (replaced once the download is complete), a folder, or - for stdout"
          + " (the summary then goes to stderr); with several ids, a folder (made if missing)."
          + " Default: the id with an extension from the picture's type (ID.png), here.")
  String output;

  @Option(names = "--force", description = "Download again even a file already holding the"
      + " picture.")
  boolean force;

  @Option(names = "--md5", description = "Also compute each picture's MD5 and check it against"
      + " the server's (CRC32C always is: it catches the same corruption for a fiftieth of the"
      + " CPU).")
  boolean md5;

  @Mixin TransferOptions transfer;
  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions out;

  @Override
  public Integer call() throws Exception {
    transfer.check();
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(ids));
    Farm farm = connection.farm(out, md5);
    RateLimit limit = transfer.rateLimit();
    if (unique.size() == 1) {
      return one(farm, unique.get(0), limit);
    }
    if ("-".equals(output)) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "-o - writes one picture to stdout;"
          + " with " + unique.size() + " ids give a folder");
    }
    Path folder = Path.of(output == null ? "." : output);
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "-o " + output + " is a file; with "
          + unique.size() + " ids give a folder");
    }
    Files.createDirectories(folder);
    List<Task> tasks = animals(farm, unique).stream()
        .map(a -> new Task(farm, a, folder, limit)).toList();
    return new Batch(out, System.out, System.err,
        new Batch.Words("Downloaded", "already here (--force downloads them again)"))
        .run("Downloading " + tasks.size() + " pictures", tasks, transfer.parallel);
  }

  /** One picture, as {@code farm download ID} always did. */
  private int one(Farm farm, String id, RateLimit limit) throws IOException {
    Animal animal = withPicture(farm.animals().get(id).execute(), id);
    boolean toStdout = "-".equals(output);
    Path file = toStdout ? null : target(id, animal);
    FileDownload picture = new FileDownload(farm, id, animal, limit, force);
    PrintStream to = toStdout ? System.err : System.out;
    if (file != null && picture.alreadyThere(file)) {
      if (out.json) {
        JsonOutput.print(picture.skippedJson(file), to);
      } else {
        to.println(picture.skippedLine(file));
      }
      return ExitCodes.OK;
    }
    MediaDownload download = picture.prepare(file, toStdout ? new StdoutStream(System.out) : null);
    DownloadResult result;
    try (FileProgress.Single progress = new FileProgress.Single("Downloading " + id,
        OptionalLong.of(animal.mediaSize()), out, System.err)) {
      result = picture.run(download, progress, toStdout);
    }
    if (out.json) {
      JsonOutput.print(picture.json(file, result), to);
    } else {
      to.println(picture.line(file, result));
      to.flush();
    }
    return ExitCodes.OK;
  }

  private static Animal withPicture(Animal animal, String id) {
    if (!animal.hasMedia()) {
      throw new Failures.CommandFailure(ExitCodes.NOT_FOUND,
          "animal " + id + " has no picture to download");
    }
    return animal;
  }

  /** Where the file goes: {@code -o} itself, or the default name in {@code -o}'s folder or here. */
  private Path target(String id, Animal animal) {
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

  /** Every id's animal, fetched {@code -j} at a time; a failure stays with its id. */
  private List<Fetched> animals(Farm farm, List<String> unique) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(transfer.parallel,
        unique.size()));
    try {
      List<Future<Animal>> futures = new ArrayList<>();
      for (String id : unique) {
        futures.add(pool.submit(() -> withPicture(farm.animals().get(id).execute(), id)));
      }
      List<Fetched> fetched = new ArrayList<>();
      for (int i = 0; i < unique.size(); i++) {
        try {
          fetched.add(new Fetched(unique.get(i), futures.get(i).get(), null));
        } catch (java.util.concurrent.ExecutionException e) {
          fetched.add(new Fetched(unique.get(i), null, e.getCause()));
        }
      }
      return fetched;
    } finally {
      pool.shutdownNow();
    }
  }

  private record Fetched(String id, Animal animal, Throwable failure) {}

  /** One picture of a batch. */
  private final class Task implements Batch.Task {
    private final Farm farm;
    private final Fetched fetched;
    private final Path folder;
    private final RateLimit limit;

    Task(Farm farm, Fetched fetched, Path folder, RateLimit limit) {
      this.farm = farm;
      this.fetched = fetched;
      this.folder = folder;
      this.limit = limit;
    }

    @Override
    public String name() {
      return fetched.id();
    }

    @Override
    public long size() {
      return fetched.animal() == null ? 0 : fetched.animal().mediaSize();
    }

    @Override
    public Outcome run(FileProgress progress) {
      String id = fetched.id();
      if (fetched.failure() != null) {
        return Outcome.failed(id, JsonOutput.object().put("id", id), fetched.failure());
      }
      Path file = FileDownload.defaultTarget(folder, id, fetched.animal());
      FileDownload picture = new FileDownload(farm, id, fetched.animal(), limit, force);
      try {
        if (picture.alreadyThere(file)) {
          progress.started(size());
          return new Outcome(id, Outcome.Status.SKIPPED, picture.skippedJson(file),
              picture.skippedLine(file), null);
        }
        DownloadResult result = picture.run(picture.prepare(file, null), progress, false);
        return new Outcome(id, Outcome.Status.DONE, picture.json(file, result),
            picture.line(file, result), null);
      } catch (IOException | RuntimeException e) {
        return Outcome.failed(id, JsonOutput.object().put("id", id).put("path",
            file.toAbsolutePath().toString()), e);
      }
    }
  }
}
