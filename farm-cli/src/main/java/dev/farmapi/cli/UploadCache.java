package dev.farmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.ResumableSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The pending resumable uploads of this user, one small JSON file each in
 * {@code $FARM_CACHE_DIR/uploads}, else {@code $XDG_CACHE_HOME/farm/uploads}, else
 * {@code ~/.cache/farm/uploads}. A file is named by its {@link Entry#id}, a hash of the server
 * URL and the source's fingerprint (absolute path, size, modification time), so that a changed
 * file never resumes an upload of its old bytes. Files are written whole (a temporary file, then
 * a rename) and readable by their owner only: a session URI is a capability. Uploads that
 * finished are remembered beside them, in {@code .../farm/uploaded/}, under the same id, so that
 * a rerun of the same command skips them ({@link Finished}).
 */
final class UploadCache {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT = 1;
  private static final String TMP = ".tmp";
  /** A temporary file older than this was left by a process that died while writing it. */
  static final Duration STALE_TMP = Duration.ofMinutes(1);

  private final Path dir;

  UploadCache(Path dir) {
    this.dir = dir;
  }

  /**
   * The cache of {@code override} (a farm cache folder, e.g. from the hidden {@code --cache-dir}),
   * else of the environment.
   */
  static UploadCache locate(Path override) {
    return new UploadCache(cacheRoot(override).resolve("uploads"));
  }

  private static Path cacheRoot(Path override) {
    if (override != null) {
      return override;
    }
    String farm = System.getenv("FARM_CACHE_DIR");
    if (farm != null && !farm.isBlank()) {
      return Path.of(farm);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "farm");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "farm");
  }

  Path dir() {
    return dir;
  }

  /**
   * A pending upload.
   *
   * @param id the file's name without {@code .json}: 16 hex digits of SHA-256 over the server
   *     and the source's fingerprint
   * @param server the server's root URL
   * @param file the absolute path of the source
   * @param size the source's size in bytes
   * @param name the animal's name, or null
   * @param species the animal's species, or null
   * @param started when the upload began
   * @param session where it stood when last saved
   */
  record Entry(String id, String server, Path file, long size, String name, String species,
      Instant started, ResumableSession session) {}

  /** The id of an upload of the source with {@code fingerprint} to {@code server}. */
  static String id(String server, String fingerprint) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((server + "\n" + fingerprint).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Every readable entry, oldest first; unreadable files are skipped, stale temporary ones deleted. */
  List<Entry> all() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    cleanTemporaryFiles();
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
        read(f).ifPresent(entries::add);
      }
    }
    entries.sort(Comparator.comparing(Entry::started));
    return entries;
  }

  /** The entries of one server. */
  List<Entry> of(String server) throws IOException {
    return all().stream().filter(e -> e.server().equals(server)).toList();
  }

  Optional<Entry> get(String id) {
    return read(file(id));
  }

  /** Saves {@code entry}, replacing any earlier state of it, atomically. */
  void save(Entry entry) throws IOException {
    ObjectNode json = JSON.createObjectNode()
        .put("format", FORMAT)
        .put("id", entry.id())
        .put("server", entry.server())
        .put("file", entry.file().toString())
        .put("size", entry.size())
        .put("name", entry.name())
        .put("species", entry.species())
        .put("started", entry.started().toString());
    json.set("session", JSON.readTree(entry.session().toJson()));
    write(dir, entry.id(), json);
  }

  /**
   * A file uploaded to the end, remembered so that the same command run again skips it while it
   * is unchanged (same id: same server, path, size and modification time).
   *
   * @param id as {@link Entry#id}
   * @param animalId the animal the upload made
   * @param crc32c the server's CRC32C of the stored bytes, to tell that the animal still holds them
   */
  record Finished(String id, String server, Path file, long size, String animalId, String crc32c,
      Instant finished) {}

  /** The record of a finished upload with this id, if any. */
  Optional<Finished> finished(String id) {
    try {
      JsonNode json = JSON.readTree(Files.readString(finishedDir().resolve(id + ".json")));
      return Optional.of(new Finished(json.path("id").asText(), json.path("server").asText(),
          Path.of(json.path("file").asText()), json.path("size").asLong(),
          json.path("animalId").asText(), text(json, "crc32c"),
          Instant.parse(json.path("finished").asText())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // none, or unreadable: upload again
    }
  }

  void saveFinished(Finished done) throws IOException {
    write(finishedDir(), done.id(), JSON.createObjectNode()
        .put("format", FORMAT)
        .put("id", done.id())
        .put("server", done.server())
        .put("file", done.file().toString())
        .put("size", done.size())
        .put("animalId", done.animalId())
        .put("crc32c", done.crc32c())
        .put("finished", done.finished().toString()));
  }

  void forgetFinished(String id) throws IOException {
    Files.deleteIfExists(finishedDir().resolve(id + ".json"));
  }

  /** Finished uploads live beside the pending ones: {@code .../farm/uploaded/}. */
  private Path finishedDir() {
    return dir.resolveSibling("uploaded");
  }

  /** Writes {@code folder/ID.json} whole: a temporary file, then an atomic rename. */
  private void write(Path folder, String id, ObjectNode json) throws IOException {
    createPrivateDir(folder);
    Path tmp = Files.createTempFile(folder, id + ".", TMP);
    try {
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
      try {
        Files.move(tmp, folder.resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, folder.resolve(id + ".json"), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Deletes the temporary files a killed process left between writing and renaming. One younger
   * than {@link #STALE_TMP} may be another farm's write in progress, and is left alone.
   */
  void cleanTemporaryFiles() {
    cleanTemporaryFiles(STALE_TMP);
  }

  /** Deletes the temporary files older than {@code age}. */
  void cleanTemporaryFiles(Duration age) {
    for (Path folder : List.of(dir, finishedDir())) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      long cutoff = System.currentTimeMillis() - age.toMillis();
      try (Stream<Path> files = Files.list(folder)) {
        files.filter(f -> f.getFileName().toString().endsWith(TMP)).forEach(f -> {
          try {
            if (Files.getLastModifiedTime(f).toMillis() <= cutoff) {
              Files.deleteIfExists(f);
            }
          } catch (IOException e) {
            // gone meanwhile, or not ours to delete: harmless either way
          }
        });
      } catch (IOException e) {
        // an unreadable cache is reported where it matters, when an upload is saved
      }
    }
  }

  /** Forgets an entry; nothing happens when there is none. */
  void delete(String id) throws IOException {
    Files.deleteIfExists(file(id));
  }

  private Path file(String id) {
    return dir.resolve(id + ".json");
  }

  private Optional<Entry> read(Path f) {
    try {
      JsonNode json = JSON.readTree(Files.readString(f));
      if (json.path("format").asInt() != FORMAT || !json.path("session").isObject()) {
        return Optional.empty();
      }
      return Optional.of(new Entry(json.path("id").asText(), json.path("server").asText(),
          Path.of(json.path("file").asText()), json.path("size").asLong(),
          text(json, "name"), text(json, "species"),
          Instant.parse(json.path("started").asText()),
          ResumableSession.fromJson(json.get("session").toString())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone meanwhile, half a file from another tool, or not ours
    }
  }

  private static String text(JsonNode json, String field) {
    JsonNode node = json.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  private static void createPrivateDir(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    Files.createDirectories(folder);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    }
  }
}
