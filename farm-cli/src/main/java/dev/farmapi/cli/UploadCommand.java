package dev.farmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code farm upload FILE}: a new animal with the file as its picture. Resumable by default, the
 * session saved after every chunk so that the same command run again after a crash resumes.
 */
@Command(name = "upload", mixinStandardHelpOptions = true,
    description = {"Upload a file as the picture of a new animal.",
        "Resumable by default (in chunks; if interrupted, run the same command again to resume"
            + " where the server stands); --simple and --multipart send it in one request.",
        "Prints a summary line, or the animal as JSON with --json; progress goes to stderr."},
    footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage, 3 auth, 4 not found (also a missing"
        + " FILE), 5 integrity (checksum mismatch), 6 server error or unreachable."})
final class UploadCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to upload.")
  Path file;

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

  @ArgGroup(exclusive = true)
  Mode mode = new Mode();

  @Option(names = "--cache-dir", hidden = true,
      description = "Folder of saved sessions (default: $FARM_CACHE_DIR, else"
          + " $XDG_CACHE_HOME/farm, else ~/.cache/farm).")
  Path cacheDir;

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
    boolean resumable = !mode.simple && !mode.multipart;
    checkOptions(resumable);
    Path path = file.toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      throw new NoSuchFileException(file.toString());
    }
    if (!Files.isRegularFile(path)) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, file + " is not a file");
    }
    MediaFileUpload media = MediaFileUpload.of(path);
    if (mime != null) {
      media = media.withMimeType(mime);
    }
    Farm farm = connection.farm(output);
    Animal animal = mode.simple ? new Animal(null)
        : new Animal(name != null ? name : path.getFileName().toString()).withSpecies(species);
    String task = "Uploading " + path.getFileName();
    PrintStream err = System.err;

    JsonNode result;
    if (resumable) {
      media = media.resumable().withChunkSize(chunkSize != null ? chunkSize
          : MediaUpload.DEFAULT_CHUNK_SIZE);
      CachedUpload upload = new CachedUpload(farm, UploadCache.locate(cacheDir),
          connection.server().toString(), media, animal, task, output, err);
      try {
        result = upload.run();
      } catch (IOException | RuntimeException e) {
        if (!upload.pending()) {
          throw e;
        }
        PrintWriter w = new PrintWriter(err, true);
        Failures.report(e, output.verbose, w);
        w.println("farm: run the same command again to resume the upload ('farm uploads cancel "
            + path + "' forgets it)");
        return Failures.exitCode(e);
      }
    } else {
      result = inOneRequest(farm, media, animal, task, err);
    }
    print(farm, path, result);
    return ExitCodes.OK;
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

  private JsonNode inOneRequest(Farm farm, MediaFileUpload media, Animal animal, String task,
      PrintStream err) throws IOException {
    HttpRequest.Builder<JsonNode> builder = farm.animals().prepareInsert(animal, media)
        .parser(json -> json); // the server's own fields, for --json
    if (mode.simple) {
      builder.body(null); // media without metadata: uploadType=media
    }
    try (ProgressView view = ProgressView.open(task, 0, media.size(), output, err)) {
      builder.progressListener(p -> view.update(p.bytesUploaded(), p.totalSize()));
      return builder.build().execute();
    }
  }

  private void print(Farm farm, Path path, JsonNode result) throws IOException {
    if (output.json) {
      JsonOutput.print(result, System.out); // the server's own fields, as it sent them
      return;
    }
    Animal a = farm.client().json().treeToValue(result, Animal.class);
    System.out.println("Uploaded " + path.getFileName() + " as animal " + a.id() + " ("
        + Sizes.format(a.mediaSize() == null ? 0 : a.mediaSize())
        + (a.md5Hash() == null ? "" : ", md5 " + a.md5Hash()) + ")");
  }
}
