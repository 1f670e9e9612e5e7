package dev.farmapi.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.server.testing.FaultyBlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injecting wrapper keeps the blob contract while no fault is armed (so a test that
 * uses it changes nothing but the faults), and its faults do what a real disk does.
 */
class FaultyBlobStoreTest extends BlobStoreContract {
  @TempDir Path root;

  @Override
  protected BlobStore newStore() throws Exception {
    return new FaultyBlobStore(LocalBlobStore.open(root.resolve("blobs")));
  }

  @Override
  protected BlobStore reopen() throws Exception {
    return newStore();
  }

  @Test
  void fullDiskWritesWhatFitsThenFailsUntilMended() throws Exception {
    FaultyBlobStore store = (FaultyBlobStore) newStore();
    store.fillDisk(1000);
    try (BlobStore.Appender out = store.append("blobFULL", 0, null)) {
      ByteBuffer data = ByteBuffer.wrap(bytes(4000, 3));
      assertThatThrownBy(() -> out.write(data)).isInstanceOf(IOException.class)
          .hasMessage("No space left on device");
      assertThat(out.position()).isEqualTo(1000);
    }
    store.clearAll();
    write(store, "blobFULL", 0, bytes(4000, 3)); // the unsynced 1000 bytes are cut
    assertThat(store.size("blobFULL")).isEqualTo(4000);
  }

  @Test
  void transientFaultFiresItsTimesThenClearsItself() throws Exception {
    FaultyBlobStore store = (FaultyBlobStore) newStore();
    store.arm(FaultyBlobStore.Fault.SYNC, 2);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> write(store, "blobSYNC", 0, bytes(10, 4)))
          .isInstanceOf(IOException.class);
    }
    write(store, "blobSYNC", 0, bytes(10, 4));
    assertThat(store.fired()).isEqualTo(2);
  }
}
