package dev.farmapi.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in an S3-compatible object store, shared by every node of a cluster. A blob under append
 * is one S3 multipart upload: every full part (one part size per blob, at least S3's 5 MiB
 * minimum, equal sizes as Cloudflare R2 needs) is uploaded as soon as its bytes are in, and the
 * tail below a part is staged as segment objects of its own. What holds the durable bytes (upload
 * id, ETags, segments) is the blob's state ({@link S3BlobState}), recorded with the offset in the
 * metadata store: a 308 promises only bytes that S3 has acknowledged. A segment is never deleted
 * before its bytes are inside a part, and then only when the blob is sealed or deleted (a state
 * that was not recorded may still name it). Sealing completes the multipart upload (or puts a
 * small blob whole), idempotently; reads are ranged {@code GetObject}s.
 *
 * <p>Layout under the prefix: {@code blobs/KEY} (sealed), {@code staging/KEY/SEGMENT}. Request
 * bodies are spooled to a local temporary file until their sync, since a part's length must be
 * known before it is sent.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
  /** S3's smallest part (all but the last). */
  public static final long MIN_PART_SIZE = 5L << 20;
  /** S3's most parts in one multipart upload. */
  public static final long MAX_PARTS = 10_000;
  /** Part size of new blobs: 10,000 parts make 80 GiB (uploads are capped there on S3). */
  public static final long DEFAULT_PART_SIZE = 8L << 20;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final long partSize;
  private final Duration orphanGrace;
  private final S3Objects objects;

  private S3BlobStore(S3Client s3, S3Location where, long partSize, Duration orphanGrace) {
    this.s3 = s3;
    this.bucket = where.bucket();
    this.prefix = where.prefix();
    this.partSize = partSize;
    this.orphanGrace = orphanGrace;
    this.objects = new S3Objects(s3, bucket, prefix);
  }

  /**
   * Connects to {@code where}, creating the bucket when it does not exist.
   *
   * @param partSize the part size of new blobs, at least {@link #MIN_PART_SIZE}
   * @param orphanGrace how old a blob must be before {@link #keys()} lists it (another node may be
   *     about to commit a younger one)
   */
  public static S3BlobStore open(S3Location where, AwsCredentialsProvider credentials,
      long partSize, Duration orphanGrace) throws IOException {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("part size must be at least 5 MiB");
    }
    var builder = S3Client.builder()
        .region(Region.of(where.region()))
        .credentialsProvider(credentials)
        // Since 2.30 the SDK sends CRC32 trailers by default; many S3-compatible stores reject
        // them. Checksums only where an operation requires one.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(2))
            .apiCallAttemptTimeout(Duration.ofSeconds(30)));
    if (where.endpoint() != null) {
      builder.endpointOverride(where.endpoint()).forcePathStyle(true);
    }
    S3Client s3 = builder.build();
    S3BlobStore store = new S3BlobStore(s3, where, partSize, orphanGrace);
    try {
      store.createBucketIfMissing();
    } catch (IOException | RuntimeException e) {
      s3.close();
      throw e;
    }
    return store;
  }

  private void createBucketIfMissing() throws IOException {
    S3Objects.call(() -> {
      try {
        s3.headBucket(b -> b.bucket(bucket));
      } catch (S3Exception e) {
        if (e.statusCode() != 404 && !(e instanceof NoSuchBucketException)) {
          throw e;
        }
        try {
          s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception raced) {
          if (raced.statusCode() != 409) { // another node created it first
            throw raced;
          }
        }
      }
      return null;
    });
  }

  // ---- appending

  @Override
  public Appender append(String key, long offset, String state) throws IOException {
    S3Objects.check(key);
    S3BlobState current = S3BlobState.parse(state, partSize);
    if (offset != current.size()) {
      throw new IOException("blob " + key + " holds " + current.size() + " bytes by its state,"
          + " cannot append at " + offset);
    }
    return new S3Appender(key, current);
  }

  private final class S3Appender implements Appender {
    private final String key;
    private final Path spool;
    private final FileChannel out;
    private S3BlobState state;
    private long spooled;

    S3Appender(String key, S3BlobState state) throws IOException {
      this.key = key;
      this.state = state;
      this.spool = Files.createTempFile("farm-s3-spool", ".bin");
      this.out = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = 0;
      while (src.hasRemaining()) {
        n += out.write(src);
      }
      spooled += n;
      return n;
    }

    @Override
    public long position() {
      return state.size() + spooled;
    }

    @Override
    public String sync() throws IOException {
      long pending = state.tailSize() + spooled;
      long parts = pending / state.partSize();
      if (parts == 0) {
        if (spooled > 0) {
          S3BlobState.Segment segment = objects.putSegment(key, spool, 0, spooled);
          List<S3BlobState.Segment> segments = new ArrayList<>(state.segments());
          segments.add(segment);
          state = new S3BlobState(state.uploadId(), state.partSize(), state.etags(), segments);
        }
      } else {
        state = flushParts(parts, pending);
      }
      out.truncate(0);
      out.position(0);
      spooled = 0;
      return state.toJson();
    }

    /** Uploads {@code parts} full parts of the tail and this request's bytes; stages the rest. */
    private S3BlobState flushParts(long parts, long pending) throws IOException {
      Path assembly = objects.assemble(state.segments(), spool, spooled);
      try {
        String uploadId = state.uploadId() != null ? state.uploadId()
            : S3Objects.call(() -> s3.createMultipartUpload(
                b -> b.bucket(bucket).key(objects.object(key))).uploadId());
        List<String> etags = new ArrayList<>(state.etags());
        long size = state.partSize();
        for (long i = 0; i < parts; i++) {
          etags.add(objects.uploadPart(key, uploadId, etags.size() + 1, assembly, i * size, size));
        }
        long rest = pending - parts * size;
        List<S3BlobState.Segment> segments = rest == 0 ? List.of()
            : List.of(objects.putSegment(key, assembly, parts * size, rest));
        return new S3BlobState(uploadId, size, etags, segments);
      } finally {
        Files.deleteIfExists(assembly);
      }
    }

    @Override
    public boolean isOpen() {
      return out.isOpen();
    }

    @Override
    public void close() throws IOException {
      out.close();
      Files.deleteIfExists(spool);
    }
  }

  // ---- sealing, reading, deleting

  @Override
  public void seal(String key, String state) throws IOException {
    if (size(key) >= 0) {
      objects.cleanUp(key); // sealed before (a retry after a crash): only the leftovers may remain
      return;
    }
    S3BlobState st = S3BlobState.parse(state, partSize);
    Path tail = objects.assemble(st.segments(), null, 0);
    try {
      if (st.uploadId() == null) {
        long length = Files.size(tail);
        S3Objects.call(() -> s3.putObject(
            b -> b.bucket(bucket).key(objects.object(key)).contentLength(length),
            S3Objects.body(tail, 0, length)));
      } else {
        List<String> etags = new ArrayList<>(st.etags());
        if (st.tailSize() > 0) {
          etags.add(objects.uploadPart(key, st.uploadId(), etags.size() + 1, tail, 0,
              st.tailSize()));
        }
        objects.complete(key, st.uploadId(), etags);
      }
    } finally {
      Files.deleteIfExists(tail);
    }
    objects.cleanUp(key);
  }

  @Override
  public SeekableByteChannel read(String key) throws IOException {
    long size = size(key);
    if (size < 0) {
      throw new NoSuchFileException(key);
    }
    return new S3ReadChannel(s3, bucket, objects.object(key), size);
  }

  @Override
  public long size(String key) throws IOException {
    return objects.size(key);
  }

  @Override
  public long appendedSize(String key, String state) throws IOException {
    if (state != null) {
      return S3BlobState.parse(state, partSize).size();
    }
    long sealed = size(key);
    if (sealed >= 0) {
      return sealed;
    }
    boolean nothing = objects.list(objects.staging(key)).isEmpty()
        && objects.uploads(objects.object(key)).isEmpty();
    return nothing ? -1 : 0;
  }

  @Override
  public void delete(String key) throws IOException {
    objects.cleanUp(key);
    S3Objects.call(() -> s3.deleteObject(b -> b.bucket(bucket).key(objects.object(key))));
  }

  @Override
  public Set<String> keys() throws IOException {
    Instant cutoff = Instant.now().minus(orphanGrace);
    Set<String> keys = new HashSet<>();
    String blobs = prefix + "blobs/";
    String staged = prefix + "staging/";
    for (S3Object o : objects.list(blobs)) {
      if (!o.lastModified().isAfter(cutoff)) {
        keys.add(o.key().substring(blobs.length()));
      }
    }
    for (S3Object o : objects.list(staged)) {
      String rest = o.key().substring(staged.length());
      if (rest.indexOf('/') > 0 && !o.lastModified().isAfter(cutoff)) {
        keys.add(rest.substring(0, rest.indexOf('/')));
      }
    }
    for (MultipartUpload u : objects.uploads(blobs)) {
      if (!u.initiated().isAfter(cutoff)) {
        keys.add(u.key().substring(blobs.length()));
      }
    }
    keys.removeIf(k -> !Ids.isWellFormed(k));
    return keys;
  }

  @Override
  public void close() {
    s3.close();
  }


}
