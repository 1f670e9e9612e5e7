package dev.farmapi.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.TempS3Proxy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The blob contract over a real S3 API (S3Proxy on a folder, a new bucket per test), and what is
 * particular to S3: multipart uploads with a staged tail, part-size minimums, clean-up.
 */
class S3BlobStoreTest extends BlobStoreContract {
  static TempS3Proxy proxy;
  private final List<S3BlobStore> opened = new ArrayList<>();
  private S3Location location;

  @BeforeAll
  static void startProxy() throws Exception {
    proxy = TempS3Proxy.start();
  }

  @AfterAll
  static void stopProxy() throws Exception {
    proxy.close();
  }

  @AfterEach
  void closeStores() {
    opened.forEach(S3BlobStore::close);
  }

  @Override
  protected BlobStore newStore() throws Exception {
    location = proxy.newLocation();
    return reopen();
  }

  @Override
  protected BlobStore reopen() throws Exception {
    S3BlobStore store = S3BlobStore.open(location, TempS3Proxy.credentials(),
        S3BlobStore.MIN_PART_SIZE, Duration.ZERO);
    opened.add(store);
    return store;
  }

  /** An independent client, to see what really landed in the bucket. */
  private S3Client inspector() {
    return S3Client.builder().region(Region.US_EAST_1).endpointOverride(proxy.endpoint())
        .forcePathStyle(true).credentialsProvider(TempS3Proxy.credentials())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
  }

  private List<String> objects(S3Client s3) {
    List<String> names = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(location.bucket())).contents()
        .forEach(o -> names.add(o.key()));
    return names;
  }

  @Test
  void smallChunksAreStagedThenGoIntoEqualPartsAcrossStoresAndSealIntoOneObject()
      throws Exception {
    BlobStore store = newStore();
    byte[] media = bytes(12 * 1024 * 1024 + 12345, 21);
    int chunk = 256 * 1024;
    for (int at = 0; at < media.length; at += chunk) {
      // Every few chunks another node (a new store over the same bucket) takes over.
      BlobStore writer = (at / chunk) % 5 == 4 ? reopen() : store;
      append(writer, "blobBIGG", at,
          java.util.Arrays.copyOfRange(media, at, Math.min(media.length, at + chunk)));
    }
    S3BlobState state = S3BlobState.parse(state("blobBIGG"), 0);

    assertThat(state.uploadId()).as("a multipart upload").isNotNull();
    assertThat(state.etags()).hasSize(2); // two full 5 MiB parts, the rest staged
    assertThat(state.tailSize()).isEqualTo(media.length - 2 * S3BlobStore.MIN_PART_SIZE);
    store.seal("blobBIGG", state("blobBIGG"));

    assertThat(MessageDigest.getInstance("MD5").digest(readAll(store, "blobBIGG", 0)))
        .isEqualTo(MessageDigest.getInstance("MD5").digest(media));
    try (S3Client s3 = inspector()) {
      assertThat(objects(s3)).containsExactly("farm/blobs/blobBIGG"); // no staged tail left
      assertThat(s3.listMultipartUploads(b -> b.bucket(location.bucket())).uploads()).isEmpty();
    }
  }

  @Test
  void aRangedReadFetchesOnlyFromItsOffset() throws Exception {
    BlobStore store = newStore();
    byte[] media = bytes(6 * 1024 * 1024, 22);
    write(store, "blobRNGE", 0, media);

    byte[] tail = readAll(store, "blobRNGE", media.length - 1000);

    assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(media, media.length - 1000,
        media.length));
  }

  @Test
  void deletingAMultipartBlobAbortsItsUploadAndRemovesItsStagedTail() throws Exception {
    BlobStore store = newStore();
    append(store, "blobDELL", 0, bytes(5 * 1024 * 1024 + 100, 23));

    try (S3Client s3 = inspector()) {
      assertThat(objects(s3)).hasSize(1); // the staged 100 bytes
      assertThat(s3.listMultipartUploads(b -> b.bucket(location.bucket())).uploads()).hasSize(1);
      store.delete("blobDELL");
      assertThat(objects(s3)).isEmpty();
      assertThat(s3.listMultipartUploads(b -> b.bucket(location.bucket())).uploads()).isEmpty();
    }
  }

  @Test
  void aWriterOfAStaleStateLeavesTheRecordedBlobWhole() throws Exception {
    BlobStore store = newStore();
    byte[] media = bytes(11 * 1024 * 1024, 24);
    int half = 5 * 1024 * 1024 + 512 * 1024;
    append(store, "blobSTAL", 0, java.util.Arrays.copyOf(media, half));
    String recorded = state("blobSTAL");
    // Node A (paused past its lock) and node B both continue from the recorded state; B's state
    // is the one recorded, A's is fenced off. A's part and segments must not spoil B's blob.
    try (BlobStore.Appender a = reopen().append("blobSTAL", half, recorded);
        BlobStore.Appender b = reopen().append("blobSTAL", half, recorded)) {
      ByteBuffer rest = ByteBuffer.wrap(media, half, media.length - half);
      b.write(rest.duplicate());
      String bState = b.sync();
      a.write(rest.duplicate());
      a.sync(); // late, never recorded
      store.seal("blobSTAL", bState);
    }

    assertThat(readAll(store, "blobSTAL", 0)).isEqualTo(media);
  }

  @Test
  void aSealRepeatedAfterItSucceededChangesNothing() throws Exception {
    BlobStore store = newStore();
    byte[] media = bytes(5 * 1024 * 1024 + 7, 25);
    append(store, "blobSEAL", 0, media);

    store.seal("blobSEAL", state("blobSEAL"));
    reopen().seal("blobSEAL", state("blobSEAL"));

    assertThat(readAll(store, "blobSEAL", 0)).isEqualTo(media);
  }

}
