package dev.farmapi.server.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.SqliteMetadataStore;
import dev.farmapi.server.store.SessionLocks;
import dev.farmapi.server.store.UploadSession;
import dev.farmapi.server.testing.InMemoryBlobStore;
import dev.farmapi.server.testing.SettableClock;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resumable state machine alone: no HTTP, an in-memory blob store, a real SQLite file for the
 * metadata, and a clock moved by hand. What it returns and throws is what the HTTP layer turns
 * into 308s, 200s and errors.
 */
class ResumableSessionsTest {
  static final int K256 = 256 * 1024;
  static final Duration TTL = Duration.ofHours(1);

  @TempDir Path dir;
  final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryBlobStore blobs = new InMemoryBlobStore();
  MetadataStore meta;
  ResumableSessions sessions;

  @BeforeEach
  void open() throws IOException {
    meta = SqliteMetadataStore.open(dir.resolve("farm.db"));
    sessions = node(SessionLocks.inProcess());
  }

  @AfterEach
  void close() throws IOException {
    meta.close();
  }

  /** A state machine over the shared stores, as one node of a cluster runs it. */
  ResumableSessions node(SessionLocks locks) {
    Uploads uploads = new Uploads(meta, blobs,
        new UploadPolicy(1L << 40, List.of("*/*"), TTL), clock);
    return new ResumableSessions(meta, blobs, uploads, locks);
  }

  static byte[] media(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  static ReadableByteChannel body(byte[] media, long from, long to) {
    return Channels.newChannel(new java.io.ByteArrayInputStream(
        Arrays.copyOfRange(media, (int) from, (int) to)));
  }

  ChunkResult put(ResumableSessions node, UploadSession s, byte[] media, long from, long to)
      throws IOException {
    return node.put(s, new ChunkRange(from, to - 1, media.length), to - from,
        body(media, from, to));
  }

  static String md5(byte[] b) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(b));
  }

  @Test
  void chunksAdvanceTheDurableOffsetAndTheLastOneMakesTheAnimalOnce() throws Exception {
    byte[] media = media(2 * K256 + 1000);
    UploadSession s = sessions.initiate(Target.insert("alpha"), null, "image/png", media.length, "key1");

    ChunkResult first = put(sessions, s, media, 0, K256);
    ChunkResult second = put(sessions, s, media, K256, 2 * K256);
    ChunkResult last = put(sessions, s, media, 2 * K256, media.length);
    ChunkResult resent = put(sessions, s, media, 2 * K256, media.length);

    assertThat(first).isEqualTo(new ChunkResult.Incomplete(K256));
    assertThat(second).isEqualTo(new ChunkResult.Incomplete(2 * K256));
    Animal animal = ((ChunkResult.Complete) last).animal();
    assertThat(resent).isEqualTo(new ChunkResult.Complete(animal));
    assertThat(animal.media().md5()).isEqualTo(md5(media));
    assertThat(blobs.bytes(animal.media().blobKey())).isEqualTo(media);
    assertThat(meta.listAnimals("alpha", 0, 10).animals()).containsExactly(animal);
  }

  @Test
  void aChunkPastTheOffsetIsAGapAndWritesNothing() throws Exception {
    byte[] media = media(3 * K256);
    UploadSession s = sessions.initiate(Target.insert("alpha"), null, "image/png", media.length, "key1");
    put(sessions, s, media, 0, K256);

    ChunkResult gap = put(sessions, s, media, 2 * K256, 3 * K256);

    assertThat(gap).isEqualTo(new ChunkResult.Incomplete(K256));
    assertThat(blobs.bytes(s.blobKey())).isEqualTo(Arrays.copyOf(media, K256));
  }

  @Test
  void aBodyThatBreaksKeepsWhatArrivedAndReportsIt() throws Exception {
    byte[] media = media(2 * K256);
    UploadSession s = sessions.initiate(Target.insert("alpha"), null, "image/png", media.length, "key1");
    ReadableByteChannel breaking = new ReadableByteChannel() {
      final ReadableByteChannel in = body(media, 0, 100_000);

      @Override
      public int read(ByteBuffer dst) throws IOException {
        int n = in.read(dst);
        if (n < 0) {
          throw new IOException("connection reset");
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

    assertThatThrownBy(() -> sessions.put(s, new ChunkRange(0, K256 - 1, media.length), K256,
        breaking)).isInstanceOf(IOException.class).hasMessage("connection reset");

    assertThat(sessions.put(s, new ChunkRange(-1, -1, media.length), 0, body(media, 0, 0)))
        .isEqualTo(new ChunkResult.Incomplete(100_000));
    assertThat(blobs.bytes(s.blobKey())).isEqualTo(Arrays.copyOf(media, 100_000));
  }

  @Test
  void aChunkThatIsNotAMultipleOf256KiBIsInvalidAndWritesNothing() throws Exception {
    byte[] media = media(3 * K256);
    UploadSession s = sessions.initiate(Target.insert("alpha"), null, "image/png", media.length, "key1");

    assertThatThrownBy(() -> put(sessions, s, media, 0, 1000))
        .isInstanceOfSatisfying(UploadException.class, e -> {
          assertThat(e.kind()).isEqualTo(UploadException.Kind.INVALID);
          assertThat(e.reason()).isEqualTo("invalidChunkSize");
        });
    assertThat(blobs.bytes(s.blobKey())).isNull();
  }

  @Test
  void aSessionExpiresWhenItsClockSaysSoAndItsBytesAreReclaimed() throws Exception {
    byte[] media = media(2 * K256);
    UploadSession s = sessions.initiate(Target.insert("alpha"), null, "image/png", media.length, "key1");
    put(sessions, s, media, 0, K256);

    clock.advance(TTL.minusSeconds(1));
    assertThat(sessions.session(s.id(), "alpha").committed()).isEqualTo(K256);
    clock.advance(Duration.ofSeconds(1));

    assertThatThrownBy(() -> sessions.session(s.id(), "alpha"))
        .isInstanceOfSatisfying(UploadException.class,
            e -> assertThat(e.kind()).isEqualTo(UploadException.Kind.NOT_FOUND));
    assertThat(sessions.reclaimExpired()).isEqualTo(1);
    assertThat(blobs.bytes(s.blobKey())).isNull();
    assertThat(meta.session(s.id())).isEmpty();
  }

  @Test
  void anotherFarmCannotSeeTheSession() {
    UploadSession s = sessions.initiate(Target.insert("alpha"), null, "image/png", 10, "key1");

    assertThatThrownBy(() -> sessions.session(s.id(), "beta"))
        .isInstanceOf(UploadException.class);
    assertThat(sessions.session(s.id(), null)).isEqualTo(s); // the id alone is the capability
  }

  @Test
  void aWriterThatLostItsLockCannotReportBytesAnotherWriterMovedPast() throws Exception {
    byte[] media = media(3 * K256);
    UploadSession s = sessions.initiate(Target.insert("alpha"), null, "image/png", media.length, "key1");
    // Two nodes, each with its own locks. Node A has synced its chunk and pauses (a GC, a lost
    // database connection) just before recording it; its lock is gone, node B takes over.
    ResumableSessions nodeB = node(SessionLocks.inProcess());
    MetadataStore pausingMeta = (MetadataStore) Proxy.newProxyInstance(
        MetadataStore.class.getClassLoader(), new Class<?>[] {MetadataStore.class},
        new InvocationHandler() {
          boolean paused;

          @Override
          public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("recordProgress") && !paused) {
              paused = true;
              assertThat(put(nodeB, s, media, 0, 2 * K256))
                  .isEqualTo(new ChunkResult.Incomplete(2 * K256));
            }
            try {
              return method.invoke(meta, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          }
        });
    ResumableSessions nodeA = new ResumableSessions(pausingMeta, blobs, new Uploads(pausingMeta,
        blobs, new UploadPolicy(1L << 40, List.of("*/*"), TTL), clock), SessionLocks.inProcess());

    assertThatThrownBy(() -> put(nodeA, s, media, 0, K256))
        .isInstanceOfSatisfying(UploadException.class,
            e -> assertThat(e.kind()).isEqualTo(UploadException.Kind.CONTENDED));

    // The paused writer promised nothing; B's offset stands and the upload completes whole.
    assertThat(meta.session(s.id()).orElseThrow().committed()).isEqualTo(2 * K256);
    ChunkResult done = put(nodeB, s, media, 2 * K256, 3 * K256);
    Animal animal = ((ChunkResult.Complete) done).animal();
    assertThat(animal.media().md5()).isEqualTo(md5(media));
    assertThat(blobs.bytes(animal.media().blobKey())).isEqualTo(media);
  }

  @Test
  void cancellingACompletedUploadIsAConflict() throws Exception {
    byte[] media = media(1000);
    UploadSession s = sessions.initiate(Target.insert("alpha"), null, "image/png", media.length, "key1");
    put(sessions, s, media, 0, media.length);

    assertThatThrownBy(() -> sessions.cancel(s)).isInstanceOfSatisfying(UploadException.class,
        e -> assertThat(e.kind()).isEqualTo(UploadException.Kind.CONFLICT));
  }
}
