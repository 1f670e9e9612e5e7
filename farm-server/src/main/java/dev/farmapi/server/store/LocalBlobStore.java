package dev.farmapi.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Blobs as files in a local folder: {@code <root>/<first two chars of key>/<key>}. Durability is
 * {@link FileChannel#force}; a new file's directory entry is fsynced too, so that a synced blob
 * cannot vanish with its directory entry after a power loss.
 */
public final class LocalBlobStore implements BlobStore {
  private final Path root;

  private LocalBlobStore(Path root) {
    this.root = root;
  }

  /** A store in {@code root}, created when absent. */
  public static LocalBlobStore open(Path root) throws IOException {
    Files.createDirectories(root);
    return new LocalBlobStore(root);
  }

  @Override
  public Appender append(String key, long offset, String state) throws IOException {
    Path path = path(key);
    boolean created = Files.notExists(path);
    if (created) {
      if (offset != 0) {
        throw new IOException("blob " + key + " is missing but should hold " + offset + " bytes");
      }
      Files.createDirectories(path.getParent());
    }
    FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      if (size < offset) {
        throw new IOException("blob " + key + " holds " + size + " bytes, expected " + offset);
      }
      if (size > offset) {
        channel.truncate(offset); // bytes a crash left behind, never acknowledged
      }
      channel.position(offset);
      // At offset 0 nothing of this blob was ever acknowledged, so its directory entry may never
      // have been synced: an earlier appender that created the file can have failed its first
      // sync. Sync the entry again rather than trust that a file that exists is durable.
      return new FileAppender(channel, created || offset == 0 ? path.getParent() : null);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** A file is readable as soon as it is synced: nothing to do. */
  @Override
  public void seal(String key, String state) {
    path(key); // still refuses a key that is not one of ours
  }

  @Override
  public SeekableByteChannel read(String key) throws IOException {
    return FileChannel.open(path(key), StandardOpenOption.READ);
  }

  @Override
  public long size(String key) throws IOException {
    try {
      return Files.size(path(key));
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  /** The file's size: a file is its own state. */
  @Override
  public long appendedSize(String key, String state) throws IOException {
    return size(key);
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(path(key));
  }

  @Override
  public Set<String> keys() throws IOException {
    Set<String> keys = new HashSet<>();
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path shard : shards) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard, Files::isRegularFile)) {
          for (Path file : files) {
            // Only files at a key's own path are blobs; an editor's swap file or a copy left in
            // the folder is not ours, and handing its name back to delete() would throw.
            String name = file.getFileName().toString();
            if (Ids.isWellFormed(name) && name.length() >= 2
                && name.substring(0, 2).equals(shard.getFileName().toString())) {
              keys.add(name);
            }
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return keys;
  }

  private Path path(String key) {
    // Keys come from Ids, never from clients; checking keeps a bug from escaping the folder.
    if (!Ids.isWellFormed(key) || key.length() < 2) {
      throw new IllegalArgumentException("bad blob key: " + key);
    }
    return root.resolve(key.substring(0, 2)).resolve(key);
  }

  private static final class FileAppender implements Appender {
    private final FileChannel channel;
    private Path newDirectory; // set until the new file's directory entry has been synced

    FileAppender(FileChannel channel, Path newDirectory) {
      this.channel = channel;
      this.newDirectory = newDirectory;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = 0;
      while (src.hasRemaining()) {
        n += channel.write(src);
      }
      return n;
    }

    @Override
    public long position() throws IOException {
      return channel.position();
    }

    @Override
    public String sync() throws IOException {
      channel.force(false); // fdatasync: data and the size needed to read it back
      if (newDirectory != null) {
        syncDirectory(newDirectory); // the new file's entry
        syncDirectory(newDirectory.getParent()); // the shard's entry, in case it was new too
        newDirectory = null;
      }
      return null;
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
