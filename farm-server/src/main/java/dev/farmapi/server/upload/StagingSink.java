package dev.farmapi.server.upload;

import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.Media;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The media of a simple or multipart upload streaming into a new blob, hashed on the way; sealed
 * durable at the end ({@link Uploads#stager}). Nothing is left behind when it fails: a body that
 * breaks or grows too large, or a store that fails, deletes the blob.
 */
final class StagingSink implements BodySink<StagedMedia> {
  private final Uploads uploads;
  private final BlobStore blobs;
  private final String key;
  private final String contentType;
  /** The declared length, or -1 to take bytes up to {@code limit}. */
  private final long length;
  private final long limit;
  private final MediaHasher hasher = new MediaHasher();
  private final BlobStore.Appender out;
  private long copied;
  private boolean ended;

  StagingSink(Uploads uploads, BlobStore blobs, String key, String contentType, long length,
      long limit) throws IOException {
    this.uploads = uploads;
    this.blobs = blobs;
    this.key = key;
    this.contentType = contentType;
    this.length = length;
    this.limit = limit;
    this.out = blobs.append(key, 0, null);
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    int n = bytes.remaining();
    if (length < 0 && copied + n > limit) {
      drop();
      throw UploadException.tooLarge(new BodyTooLargeException(limit).getMessage());
    }
    if (length >= 0 && copied + n > length) {
      drop();
      throw UploadException.invalid("invalidContentLength", "the body carries more than its"
          + " Content-Length of " + length + " bytes");
    }
    hasher.update(bytes);
    Uploads.writeAll(out, bytes, this::drop);
    copied += n;
  }

  @Override
  public StagedMedia end() throws IOException {
    if (length >= 0 && copied < length) {
      return fail(new TruncatedBodyException(copied, length));
    }
    ended = true;
    try (out) {
      blobs.seal(key, out.sync());
    } catch (IOException e) {
      uploads.deleteQuietly(key);
      throw Uploads.storageFailure(e);
    } catch (RuntimeException e) {
      uploads.deleteQuietly(key);
      throw e;
    }
    return new StagedMedia(new Media(key, contentType, copied, hasher.md5(), hasher.crc32c()));
  }

  @Override
  public StagedMedia fail(IOException cause) throws IOException {
    drop(); // a one-request upload keeps nothing of a broken body
    throw cause;
  }

  @Override
  public void abandon() {
    drop();
  }

  private void drop() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      out.close();
    } catch (IOException | RuntimeException e) {
      // the blob is deleted next; start-up reconciliation catches what is left
    }
    uploads.deleteQuietly(key);
  }
}
