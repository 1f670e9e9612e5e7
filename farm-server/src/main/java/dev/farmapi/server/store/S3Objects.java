package dev.farmapi.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 operations under {@link S3BlobStore}: the names of a blob's objects under the prefix
 * ({@code blobs/KEY}, {@code staging/KEY/SEGMENT}), segments and parts uploaded from ranges of
 * local files, gathering staged segments back into a local file, completion and clean-up, and
 * listings. Every SDK failure comes out as an {@link IOException}.
 */
final class S3Objects {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  S3Objects(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** The size of the sealed object of {@code key}, or -1 when there is none. */
  long size(String key) throws IOException {
    try {
      return call(() -> s3.headObject(b -> b.bucket(bucket).key(object(key))).contentLength());
    } catch (IOException e) {
      if (e.getCause() instanceof NoSuchKeyException
          || (e.getCause() instanceof S3Exception s && s.statusCode() == 404)) {
        return -1;
      }
      throw e;
    }
  }

  String object(String key) {
    return prefix + "blobs/" + check(key);
  }

  String staging(String key) {
    return prefix + "staging/" + check(key) + "/";
  }

  static String check(String key) {
    if (!Ids.isWellFormed(key)) {
      throw new IllegalArgumentException("bad blob key: " + key);
    }
    return key;
  }


  S3BlobState.Segment putSegment(String key, Path file, long from, long length)
      throws IOException {
    String name = staging(key) + Ids.blobKey(); // a new name every time: never overwritten
    call(() -> s3.putObject(b -> b.bucket(bucket).key(name).contentLength(length),
        body(file, from, length)));
    return new S3BlobState.Segment(name, length);
  }

  String uploadPart(String key, String uploadId, int number, Path file, long from,
      long length) throws IOException {
    return call(() -> s3.uploadPart(b -> b.bucket(bucket).key(object(key)).uploadId(uploadId)
        .partNumber(number).contentLength(length), body(file, from, length)).eTag());
  }

  /** A request body of {@code length} bytes of {@code file} from {@code from}, re-readable. */
  static RequestBody body(Path file, long from, long length) {
    return RequestBody.fromContentProvider(() -> {
      try {
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ).position(from);
        return new java.io.FilterInputStream(Channels.newInputStream(in)) {
          long left = length;

          @Override
          public int read() throws IOException {
            if (left <= 0) {
              return -1;
            }
            int b = super.read();
            left--;
            return b;
          }

          @Override
          public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) {
              return -1;
            }
            int n = super.read(buf, off, (int) Math.min(len, left));
            if (n > 0) {
              left -= n;
            }
            return n;
          }
        };
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, length, "application/octet-stream");
  }

  /** A local file with the staged segments' bytes, then {@code length} bytes of {@code spool}. */
  Path assemble(List<S3BlobState.Segment> segments, Path spool, long length)
      throws IOException {
    Path assembly = Files.createTempFile("farm-s3-part", ".bin");
    try (FileChannel out = FileChannel.open(assembly, StandardOpenOption.WRITE)) {
      for (S3BlobState.Segment segment : segments) {
        try (InputStream in = call(() -> s3.getObject(b -> b.bucket(bucket).key(segment.name())))) {
          long copied = in.transferTo(Channels.newOutputStream(out));
          if (copied != segment.size()) {
            throw new IOException("segment " + segment.name() + " holds " + copied
                + " bytes, its state says " + segment.size());
          }
        }
      }
      if (spool != null && length > 0) {
        try (FileChannel in = FileChannel.open(spool, StandardOpenOption.READ)) {
          long done = 0;
          while (done < length) {
            done += in.transferTo(done, length - done, out);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(assembly);
      throw e;
    }
    return assembly;
  }


  void complete(String key, String uploadId, List<String> etags) throws IOException {
    List<CompletedPart> parts = new ArrayList<>();
    for (int i = 0; i < etags.size(); i++) {
      parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags.get(i)).build());
    }
    try {
      call(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(object(key))
          .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
    } catch (IOException e) {
      if (!(e.getCause() instanceof NoSuchUploadException) || size(key) < 0) {
        throw e;
      }
      // Completed by an earlier seal that died before it could clean up.
    }
  }

  /** Deletes a blob's staged segments and any multipart upload of it still open. */
  void cleanUp(String key) throws IOException {
    for (S3Object o : list(staging(key))) {
      call(() -> s3.deleteObject(b -> b.bucket(bucket).key(o.key())));
    }
    for (MultipartUpload u : uploads(object(key))) {
      if (u.key().equals(object(key))) {
        call(() -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key())
            .uploadId(u.uploadId())));
      }
    }
  }


  List<S3Object> list(String under) throws IOException {
    return call(() -> {
      List<S3Object> all = new ArrayList<>();
      s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(under)).contents().forEach(all::add);
      return all;
    });
  }

  List<MultipartUpload> uploads(String under) throws IOException {
    return call(() -> {
      List<MultipartUpload> all = new ArrayList<>();
      s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(under)).uploads()
          .forEach(all::add);
      return all;
    });
  }


  interface S3Call<T> {
    T run() throws IOException;
  }

  /** Runs an S3 call; the SDK's unchecked failures become the IOException the seam promises. */
  static <T> T call(S3Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (SdkException | java.io.UncheckedIOException e) {
      throw new IOException("object store: " + e.getMessage(), e);
    }
  }
}
