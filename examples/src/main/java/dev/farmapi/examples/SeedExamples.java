package dev.farmapi.examples;

import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.UploadChunk;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The media upload guide's examples, in Java, with the typed Farm client.
 *
 * <pre>
 * java -cp 'target/classes:target/lib/*' dev.farmapi.examples.SeedExamples SERVER KEY pig.png
 * </pre>
 */
public final class SeedExamples {
  public static void main(String[] args) throws Exception {
    Farm farm = Farm.connect(URI.create(args[0]), args[1]);
    Path picture = Path.of(args[2]);

    // The filename of an image is supplied: its type is guessed from the name.
    Animal pig = farm.animals().insert(new Animal("Pig"), picture).execute();
    System.out.println("Inserted " + pig.id() + " (" + pig.mediaContentType() + ")");

    // The MIME type given explicitly.
    MediaFileUpload media = MediaFileUpload.of(picture).withMimeType("image/png");
    Animal pig2 = farm.animals().insert(new Animal("Pig"), media).execute();
    System.out.println("Inserted " + pig2.id());

    // Resumable media, in chunks of 1 MiB, printing progress.
    MediaFileUpload big = MediaFileUpload.of(picture)
        .withMimeType("image/png").withChunkSize(1 << 20).resumable();
    HttpRequest<Animal> request = farm.animals().insert(new Animal("Pig"), big);
    Animal response = null;
    while (response == null) {
      UploadChunk<Animal> chunk = request.nextChunk();
      chunk.progress().ifPresent(p ->
          System.out.printf("Uploaded %d%%.%n", (int) (p.progress() * 100)));
      response = chunk.response();
    }
    System.out.println("Upload Complete!");

    // Errors: retryable ones (5xx, dropped connections, a lost session) were retried with
    // exponential backoff already; what reaches the caller is final.
    try {
      farm.animals().get("no-such-animal").execute();
    } catch (HttpError e) {
      System.out.println("HTTP " + e.statusCode() + " " + e.reason() + ", as expected");
    }

    // A MediaUpload of your own: bytes made on the fly, never held whole.
    Animal made = farm.animals().insert(new Animal("Pattern"), new Pattern(3_000_000)).execute();
    System.out.println("Inserted " + made.id() + ", " + made.mediaSize() + " bytes made on the fly");

    // Downloads are ranged, resumable and checked against the server's checksums.
    Path copy = Files.createTempFile("pig-copy", ".png");
    farm.animals().download(response.id(), copy).execute();
    if (Files.mismatch(picture, copy) != -1) {
      throw new IllegalStateException("the downloaded copy differs from " + picture);
    }
    Files.delete(copy);
    System.out.println("Downloaded " + response.id() + ": the same bytes as " + picture);
  }

  /** Bytes computed from their offset, so any retry or resume can start anywhere. */
  record Pattern(long length) implements MediaUpload {
    @Override
    public String mimeType() {
      return "application/octet-stream";
    }

    @Override
    public OptionalLong size() {
      return OptionalLong.of(length);
    }

    @Override
    public long chunkSize() {
      return 1 << 20;
    }

    @Override
    public ReadableByteChannel open(long offset) {
      return new ReadableByteChannel() {
        long at = offset;

        @Override
        public int read(ByteBuffer dst) {
          if (at >= length) {
            return -1;
          }
          int n = 0;
          while (dst.hasRemaining() && at < length) {
            dst.put((byte) (at * 31 + (at >> 12)));
            at++;
            n++;
          }
          return n;
        }

        @Override
        public boolean isOpen() {
          return true;
        }

        @Override
        public void close() {}
      };
    }
  }

  private SeedExamples() {}

}
