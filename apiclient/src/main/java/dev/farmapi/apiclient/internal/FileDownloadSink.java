package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A download into {@code FILE} by way of {@code FILE.part} and the sidecar
 * {@code FILE.part.json} ({@link PartialDownload}: the media's URI, ETag and size). A partial file
 * never holds bytes of a version other than the one its sidecar names: a sidecar is deleted
 * before the bytes of another version are written, and written while the partial file holds
 * only bytes of the version it names. It is written once the partial file is about to hold
 * {@link #WORTH_RESUMING} bytes: a partial file without a sidecar starts over, which for fewer
 * bytes costs less than writing and renaming the sidecar (for each of many small files). The
 * final file appears only by an atomic rename of the complete, verified partial one. The partial
 * file is open and locked only while a chunk downloads, so that two downloads cannot interleave
 * their bytes in it and an abandoned download holds nothing; when it is opened again, its length
 * must still be what this download wrote.
 */
public final class FileDownloadSink implements DownloadSink {
  /** A partial file is recorded for another process to continue from this size on. */
  static final long WORTH_RESUMING = 64 * 1024;

  private final Path file;
  private final Path part;
  private final Path sidecar;
  private final String uri;
  private FileChannel channel; // open and locked while a chunk downloads
  private long length; // bytes in the partial file
  private PartialDownload remembered;
  private boolean recorded; // the sidecar on disk names `remembered`

  private FileDownloadSink(Path file, String uri) {
    this.file = file;
    this.part = partFile(file);
    this.sidecar = file.resolveSibling(file.getFileName() + ".part.json");
    this.uri = uri;
  }

  /** A sink for {@code uri}'s media into {@code file}. */
  public static FileDownloadSink of(Path file, String uri) {
    return new FileDownloadSink(file, uri);
  }

  /** Where the bytes of a download into {@code file} wait until they are complete. */
  public static Path partFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".part");
  }

  /**
   * The bytes a download of {@code uri} into {@code file} would continue from, read without
   * touching anything: what {@link #open()} will find, for a caller that wants to say so first.
   */
  public static long resumableBytes(Path file, String uri) {
    FileDownloadSink sink = new FileDownloadSink(file, uri);
    try {
      long length = Files.isRegularFile(sink.part) ? Files.size(sink.part) : 0;
      return sink.canContinue(sink.readSidecar(), length) ? length : 0;
    } catch (IOException e) {
      return 0; // unreadable: open() will find it so too, and start over
    }
  }

  /** Whether {@code length} bytes of the partial file, described by {@code saved}, are ours. */
  private boolean canContinue(PartialDownload saved, long length) {
    return saved != null && uri.equals(saved.uri()) && length > 0
        && (saved.totalSize() < 0 || length <= saved.totalSize());
  }

  @Override
  public PartialDownload open() throws IOException {
    FileChannel c = acquire();
    PartialDownload saved = readSidecar();
    length = c.size();
    if (!canContinue(saved, length)) {
      restart(); // nothing there that we can vouch for
      return PartialDownload.NONE;
    }
    c.position(length);
    remembered = saved;
    recorded = true;
    return saved.withLength(length);
  }

  @Override
  public ReadableByteChannel readBack() throws IOException {
    return FileChannel.open(part, StandardOpenOption.READ);
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    if (!recorded && remembered != null && remembered.etag() != null
        && length + bytes.remaining() >= WORTH_RESUMING) {
      record(remembered); // still only bytes of that version in the partial file
    }
    FileChannel c = channel();
    while (bytes.hasRemaining()) {
      length += c.write(bytes);
    }
  }

  @Override
  public void restart() throws IOException {
    Files.deleteIfExists(sidecar); // first: a sidecar must never vouch for bytes it did not see
    remembered = null;
    recorded = false;
    FileChannel c = channel();
    c.truncate(0);
    c.position(0);
    length = 0;
  }

  @Override
  public void remember(PartialDownload version) throws IOException {
    PartialDownload mine = new PartialDownload(uri, version.etag(), version.totalSize(), 0);
    if (mine.equals(remembered)) {
      return;
    }
    if (recorded) {
      Files.deleteIfExists(sidecar); // it names another version (or one without a validator)
      recorded = false;
    }
    remembered = mine;
    if (mine.etag() != null && length >= WORTH_RESUMING) {
      record(mine);
    } // else written once the partial file is worth resuming; never without a validator
  }

  private void record(PartialDownload version) throws IOException {
    Path temp = sidecar.resolveSibling(sidecar.getFileName() + ".tmp");
    Files.writeString(temp, version.toJson(), StandardCharsets.UTF_8);
    move(temp, sidecar);
    recorded = true;
  }

  @Override
  public void commit() throws IOException {
    channel().force(true);
    close();
    move(part, file);
    Files.deleteIfExists(sidecar);
  }

  @Override
  public void discard() throws IOException {
    close();
    Files.deleteIfExists(part);
    Files.deleteIfExists(sidecar);
  }

  /** Closes the partial file (and so unlocks it); the next write opens it again. */
  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close(); // releases the lock too
      channel = null;
    }
  }

  /** The partial file, opened again if it was closed between chunks, and checked unchanged. */
  private FileChannel channel() throws IOException {
    if (channel == null) {
      FileChannel c = acquire();
      if (c.size() != length) {
        close();
        throw new IOException(part + " changed outside this download: it has " + c.size()
            + " bytes where the download wrote " + length);
      }
      c.position(length);
    }
    return channel;
  }

  private FileChannel acquire() throws IOException {
    FileChannel c = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = c.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      c.close();
      throw new IOException("another download is writing " + part);
    }
    channel = c;
    return c;
  }

  private PartialDownload readSidecar() throws IOException {
    if (!Files.exists(sidecar)) {
      return null; // the common case, without an exception
    }
    try {
      return PartialDownload.fromJson(Files.readString(sidecar, StandardCharsets.UTF_8));
    } catch (NoSuchFileException | java.nio.charset.CharacterCodingException e) {
      return null; // none, or not ours: start over
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
