package dev.farmapi.apiclient.testing;

import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.ResumableSession;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A process that uploads a file resumably, slowly, saving its {@link ResumableSession} after
 * every chunk the way an application would, so that a test can kill it and resume elsewhere.
 *
 * <p>Arguments: server root URI, API key, file, session file, chunk size, bytes per second.
 * Prints {@code saved OFFSET} after each save.
 */
public final class CrashableUpload {
  public static void main(String[] args) throws Exception {
    URI root = URI.create(args[0]);
    Path file = Path.of(args[2]);
    Path sessionFile = Path.of(args[3]);
    long chunkSize = Long.parseLong(args[4]);
    long bytesPerSecond = Long.parseLong(args[5]);
    ApiClient client = ApiClient.builder().apiKey(args[1]).build();
    MediaUpload media = new Throttled(
        MediaFileUpload.of(file).withChunkSize(chunkSize).resumable(), bytesPerSecond);

    client.request("POST", root.resolve("farm/v1/animals"))
        .body(Map.of("name", "phoenix"))
        .media(media, root.resolve("upload/farm/v1/animals"))
        .sessionListener(session -> save(session, sessionFile))
        .build()
        .execute();
    System.out.println("done");
  }

  private static void save(ResumableSession session, Path to) {
    try {
      // Write then rename: a kill mid-write must not leave half a session behind.
      Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
      Files.writeString(tmp, session.toJson());
      Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      System.out.println("saved " + session.offset());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The file, read no faster than a slow disk would give it: time for the test to kill us. */
  private record Throttled(MediaUpload file, long bytesPerSecond) implements MediaUpload {
    @Override
    public ReadableByteChannel open(long offset) throws IOException {
      ReadableByteChannel in = file.open(offset);
      return new ReadableByteChannel() {
        @Override
        public int read(ByteBuffer dst) throws IOException {
          int n = in.read(dst.slice(dst.position(), Math.min(dst.remaining(), 16 * 1024)));
          if (n > 0) {
            dst.position(dst.position() + n);
            try {
              Thread.sleep(Math.max(1, n * 1000L / bytesPerSecond));
            } catch (InterruptedException e) {
              throw new java.io.InterruptedIOException();
            }
          }
          return n;
        }

        @Override
        public boolean isOpen() {
          return in.isOpen();
        }

        @Override
        public void close() throws IOException {
          in.close();
        }
      };
    }

    @Override
    public String mimeType() {
      return file.mimeType();
    }

    @Override
    public OptionalLong size() {
      return file.size();
    }

    @Override
    public long chunkSize() {
      return file.chunkSize();
    }

    @Override
    public Optional<String> fingerprint() {
      return file.fingerprint(); // the same file: a resume with MediaFileUpload.of(it) matches
    }
  }
}
