package dev.farmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * One file of {@code farm upload}: skipped when this server already has it from an earlier run
 * (the same file, unchanged, and its animal still holding those bytes), else uploaded (resumably
 * through {@link CachedUpload}, or in one request) and then remembered as finished.
 */
final class FileUpload {
  /** How the media travels. */
  enum Mode { RESUMABLE, SIMPLE, MULTIPART }

  /**
   * What every file of one command shares.
   *
   * @param limit the command's rate cap, or null
   * @param force upload again even files already uploaded
   */
  record Settings(Farm farm, UploadCache cache, String server, Mode mode, String name,
      String species, String mime, long chunkSize, RateLimit limit, boolean force,
      boolean verbose) {}

  /** The file's fate: the server's animal (uploaded or found) and whether it was skipped. */
  record Result(JsonNode animal, boolean skipped) {}

  private final Settings settings;
  private final Path path;

  FileUpload(Settings settings, Path path) {
    this.settings = settings;
    this.path = path;
  }

  /**
   * Uploads the file, or finds it already uploaded. A failure is thrown; {@link #pending} then
   * says whether a rerun resumes it.
   */
  Result run(FileProgress progress) throws IOException {
    MediaFileUpload media = MediaFileUpload.of(path);
    if (settings.mime() != null) {
      media = media.withMimeType(settings.mime());
    }
    String id = UploadCache.id(settings.server(), media.fingerprint().orElseThrow());
    if (!settings.force()) {
      Optional<JsonNode> there = alreadyUploaded(id);
      if (there.isPresent()) {
        settings.cache().delete(id); // a pending entry a kill left behind after the end
        return new Result(there.get(), true);
      }
    }
    Animal animal = settings.mode() == Mode.SIMPLE ? new Animal(null)
        : new Animal(settings.name() != null ? settings.name() : path.getFileName().toString())
            .withSpecies(settings.species());
    JsonNode result;
    if (settings.mode() == Mode.RESUMABLE) {
      media = media.resumable().withChunkSize(settings.chunkSize());
      CachedUpload upload = new CachedUpload(settings.farm(), settings.cache(), settings.server(),
          media, animal, progress, settings.limit(), settings.verbose());
      try {
        result = upload.run();
      } catch (IOException | RuntimeException e) {
        if (upload.pending()) {
          throw new PendingUpload(e);
        }
        throw e;
      }
    } else {
      result = inOneRequest(media, animal, progress);
    }
    remember(id, result);
    return new Result(result, false);
  }

  /** A failure after which the session is saved: the same command again resumes it. */
  static final class PendingUpload extends IOException {
    PendingUpload(Exception cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** The failure behind a {@link PendingUpload}, or {@code e} itself. */
  static Throwable cause(Throwable e) {
    return e instanceof PendingUpload ? e.getCause() : e;
  }

  private Optional<JsonNode> alreadyUploaded(String id) throws IOException {
    Optional<UploadCache.Finished> done = settings.cache().finished(id);
    if (done.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode animal = settings.farm().animals().prepareGet(done.get().animalId())
          .parser(json -> json).build().execute();
      if (animal.path("crc32c").asText("").equals(done.get().crc32c())) {
        return Optional.of(animal);
      }
    } catch (HttpError e) {
      if (e.statusCode() != 404) {
        throw e;
      }
    }
    settings.cache().forgetFinished(id); // deleted, or its picture replaced: upload it again
    return Optional.empty();
  }

  private JsonNode inOneRequest(MediaFileUpload media, Animal animal, FileProgress progress)
      throws IOException {
    HttpRequest.Builder<JsonNode> builder = settings.farm().animals()
        .prepareInsert(animal, settings.limit() == null ? media
            : new ThrottledMedia(media, settings.limit(), 0))
        .parser(json -> json); // the server's own fields, for --json
    if (settings.mode() == Mode.SIMPLE) {
      builder.body(null); // media without metadata: uploadType=media
    }
    progress.started(0);
    builder.progressListener(p -> progress.at(p.bytesUploaded()));
    return builder.build().execute();
  }

  /** Remembers the upload; a failure to is no failure of the upload, only of a later skip. */
  private void remember(String id, JsonNode animal) {
    try {
      settings.cache().saveFinished(new UploadCache.Finished(id, settings.server(), path,
          animal.path("mediaSize").asLong(), animal.path("id").asText(),
          animal.path("crc32c").asText(null), Instant.now()));
    } catch (IOException | RuntimeException e) {
      // the next run uploads it again
    }
  }

  /** The {@code --json} object of a file: its path, its status and the server's animal. */
  static ObjectNode json(Path path) {
    return JsonOutput.object().put("file", path.toString());
  }
}
