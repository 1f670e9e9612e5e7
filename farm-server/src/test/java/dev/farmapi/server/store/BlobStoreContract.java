package dev.farmapi.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} promises: appends at an offset, durability through sync, a cut of
 * whatever lies past the offset an appender is opened at, ranged reads, and keys. Run it over
 * an implementation by extending it.
 */
public abstract class BlobStoreContract {
  /** A new, empty store. */
  protected abstract BlobStore newStore() throws Exception;

  /** A second store over the same storage, as after a restart. */
  protected abstract BlobStore reopen() throws Exception;

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * The state each blob's last sync returned, as the metadata store records it with the offset:
   * what the next append and the seal are handed.
   */
  private final Map<String, String> states = new HashMap<>();

  /** Appends {@code data} at {@code offset}, syncs, and seals the blob so that it reads back. */
  void write(BlobStore store, String key, long offset, byte[] data) throws IOException {
    append(store, key, offset, data);
    store.seal(key, states.get(key));
  }

  /** Appends {@code data} at {@code offset} and syncs, without sealing. */
  void append(BlobStore store, String key, long offset, byte[] data) throws IOException {
    try (BlobStore.Appender out = store.append(key, offset, offset == 0 ? null : states.get(key))) {
      ByteBuffer buffer = ByteBuffer.wrap(data);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      assertThat(out.position()).isEqualTo(offset + data.length);
      states.put(key, out.sync());
    }
  }

  String state(String key) {
    return states.get(key);
  }

  static byte[] readAll(BlobStore store, String key, long from) throws IOException {
    try (SeekableByteChannel in = store.read(key)) {
      in.position(from);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (in.read(buffer) >= 0) {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      return out.toByteArray();
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void appendsAcrossReopenedAppendersAndReadsBackExactly() throws Exception {
    BlobStore store = newStore();
    byte[] first = bytes(100_000, 1);
    byte[] second = bytes(70_001, 2);

    append(store, "blobAAAA", 0, first);
    write(store, "blobAAAA", first.length, second); // appends, then seals

    assertThat(store.size("blobAAAA")).isEqualTo(first.length + second.length);
    assertThat(readAll(store, "blobAAAA", 0)).isEqualTo(concat(first, second));
    assertThat(readAll(store, "blobAAAA", 99_990)).isEqualTo(
        Arrays.copyOfRange(concat(first, second), 99_990, first.length + second.length));
  }

  @Test
  void syncedBytesAreThereForTheNextStore() throws Exception {
    BlobStore store = newStore();
    byte[] data = bytes(50_000, 3);
    write(store, "blobBBBB", 0, data);

    BlobStore again = reopen();

    assertThat(again.keys()).contains("blobBBBB");
    assertThat(readAll(again, "blobBBBB", 0)).isEqualTo(data);
  }

  @Test
  void appendedBytesContinueInTheNextStoreAndReadBackOnceSealed() throws Exception {
    BlobStore store = newStore();
    byte[] first = bytes(300_000, 12);
    byte[] second = bytes(123_457, 13);
    append(store, "blobIIII", 0, first);

    BlobStore again = reopen(); // another process (or node) takes the upload over
    assertThat(again.appendedSize("blobIIII", state("blobIIII"))).isEqualTo(first.length);
    append(again, "blobIIII", first.length, second);
    again.seal("blobIIII", state("blobIIII"));
    again.seal("blobIIII", state("blobIIII")); // idempotent

    assertThat(again.size("blobIIII")).isEqualTo(first.length + second.length);
    assertThat(readAll(again, "blobIIII", 0)).isEqualTo(concat(first, second));
  }

  @Test
  void reopeningAtARecordedOffsetDropsWhatWasWrittenAfterIt() throws Exception {
    BlobStore store = newStore();
    byte[] data = bytes(10_000, 4);
    byte[] replacement = bytes(3_000, 5);
    append(store, "blobCCCC", 0, java.util.Arrays.copyOf(data, 4_000));
    String recorded = state("blobCCCC");
    // Synced but never recorded: a crash came between the sync and the metadata write.
    append(store, "blobCCCC", 4_000, java.util.Arrays.copyOfRange(data, 4_000, 10_000));

    try (BlobStore.Appender out = store.append("blobCCCC", 4_000, recorded)) {
      assertThat(out.position()).isEqualTo(4_000);
      out.write(ByteBuffer.wrap(replacement));
      store.seal("blobCCCC", out.sync());
    }

    assertThat(store.size("blobCCCC")).isEqualTo(7_000);
    assertThat(readAll(store, "blobCCCC", 0))
        .isEqualTo(concat(Arrays.copyOf(data, 4_000), replacement));
  }

  @Test
  void appendingPastTheEndFailsAndChangesNothing() throws Exception {
    BlobStore store = newStore();
    byte[] data = bytes(1_000, 6);
    append(store, "blobDDDD", 0, data);

    assertThatThrownBy(() -> store.append("blobDDDD", 1_001, state("blobDDDD")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> store.append("blobNEWW", 5, null)).isInstanceOf(IOException.class);

    store.seal("blobDDDD", state("blobDDDD"));
    assertThat(readAll(store, "blobDDDD", 0)).isEqualTo(data);
    assertThat(store.size("blobNEWW")).isEqualTo(-1);
    assertThat(store.keys()).doesNotContain("blobNEWW");
  }

  @Test
  void deletingABlobUnderAppendLeavesNothing() throws Exception {
    BlobStore store = newStore();
    append(store, "blobJJJJ", 0, bytes(70_000, 14));

    store.delete("blobJJJJ");

    assertThat(store.keys()).doesNotContain("blobJJJJ");
    assertThat(store.size("blobJJJJ")).isEqualTo(-1);
    assertThat(store.appendedSize("blobJJJJ", null)).isEqualTo(-1);
  }

  @Test
  void anEmptyBlobExists() throws Exception {
    BlobStore store = newStore();

    write(store, "blobEEEE", 0, new byte[0]);

    assertThat(store.size("blobEEEE")).isZero();
    assertThat(store.keys()).contains("blobEEEE");
    assertThat(readAll(store, "blobEEEE", 0)).isEmpty();
  }

  @Test
  void absentBlobsHaveNoSizeCannotBeReadAndDeleteQuietly() throws Exception {
    BlobStore store = newStore();

    assertThat(store.size("blobNONE")).isEqualTo(-1);
    assertThatThrownBy(() -> store.read("blobNONE")).isInstanceOf(NoSuchFileException.class);
    store.delete("blobNONE");
    assertThat(store.keys()).isEmpty();
  }

  @Test
  void keysListEveryBlobUntilItIsDeleted() throws Exception {
    BlobStore store = newStore();
    write(store, "blobFFF1", 0, bytes(10, 7));
    write(store, "blobFFF2", 0, bytes(10, 8));
    write(store, "zzOther3", 0, bytes(10, 9));

    store.delete("blobFFF2");

    assertThat(store.keys()).containsExactlyInAnyOrder("blobFFF1", "zzOther3");
    assertThat(store.size("blobFFF2")).isEqualTo(-1);
    assertThat(readAll(store, "blobFFF1", 0)).isEqualTo(bytes(10, 7));
  }

  @Test
  void writesInOneKeyDoNotTouchAnother() throws Exception {
    BlobStore store = newStore();
    byte[] a = bytes(5000, 10);
    byte[] b = bytes(6000, 11);

    try (BlobStore.Appender outA = store.append("blobGGG1", 0, null);
        BlobStore.Appender outB = store.append("blobGGG2", 0, null)) {
      for (int at = 0; at < 5000; at += 1000) {
        outA.write(ByteBuffer.wrap(a, at, 1000));
        outB.write(ByteBuffer.wrap(b, at, 1000));
      }
      outB.write(ByteBuffer.wrap(b, 5000, 1000));
      store.seal("blobGGG1", outA.sync());
      store.seal("blobGGG2", outB.sync());
    }

    assertThat(readAll(store, "blobGGG1", 0)).isEqualTo(a);
    assertThat(readAll(store, "blobGGG2", 0)).isEqualTo(b);
  }
}
