package dev.farmapi.server;

import dev.farmapi.server.store.LocalBlobStore;
import dev.farmapi.server.store.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * The layout of a server's data folder: {@code farm.db} (SQLite), {@code blobs/} (media) and
 * {@code admin.key}. Opening it makes the admin key when the database never had a key (revoked
 * keys stay recorded, so revoking every key does not make a new admin key behind the operator's
 * back).
 */
public final class FarmData implements AutoCloseable {
  private final Path dir;
  private final SqliteMetadataStore meta;
  private final LocalBlobStore blobs;
  private final String newAdminKey;

  private FarmData(Path dir, SqliteMetadataStore meta, LocalBlobStore blobs, String newAdminKey) {
    this.dir = dir;
    this.meta = meta;
    this.blobs = blobs;
    this.newAdminKey = newAdminKey;
  }

  /** Opens (creating when absent) the data folder {@code dir}. */
  public static FarmData open(Path dir) throws IOException {
    Files.createDirectories(dir);
    SqliteMetadataStore meta = SqliteMetadataStore.open(dir.resolve("farm.db"));
    try {
      LocalBlobStore blobs = LocalBlobStore.open(dir.resolve("blobs"));
      String adminKey = null;
      if (!meta.hasKeys()) {
        adminKey = ApiKeys.create(meta, ApiKeys.DEFAULT_FARM,
            ApiKeys.Options.DEFAULT.withNote(ApiKeys.ADMIN_NOTE), Instant.now()).secret();
        writePrivate(dir.resolve("admin.key"), adminKey + "\n");
      }
      return new FarmData(dir, meta, blobs, adminKey);
    } catch (IOException | RuntimeException e) {
      meta.close();
      throw e;
    }
  }

  public Path dir() {
    return dir;
  }

  public SqliteMetadataStore meta() {
    return meta;
  }

  public LocalBlobStore blobs() {
    return blobs;
  }

  /** The admin key, when this open created it: to be shown once. */
  public Optional<String> newAdminKey() {
    return Optional.ofNullable(newAdminKey);
  }

  /** Where the admin key of this folder is kept. */
  public Path adminKeyFile() {
    return dir.resolve("admin.key");
  }

  @Override
  public void close() throws IOException {
    meta.close();
  }

  /** Writes a file only its owner can read (0600), replacing any older one. */
  private static void writePrivate(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot create " + tmp, e);
    }
    Files.writeString(tmp, content, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
