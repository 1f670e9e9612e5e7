package dev.farmapi.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob contract over a local folder, and what is particular to a folder. */
class LocalBlobStoreTest extends BlobStoreContract {
  @TempDir Path root;

  @Override
  protected BlobStore newStore() throws Exception {
    return LocalBlobStore.open(root.resolve("blobs"));
  }

  @Override
  protected BlobStore reopen() throws Exception {
    return LocalBlobStore.open(root.resolve("blobs"));
  }

  @Test
  void keysThatCouldEscapeTheFolderAreRefused() throws Exception {
    BlobStore store = newStore();

    for (String key : new String[] {"../../etc", "a/b", "", "x", "..", "a\u0000b"}) {
      assertThatThrownBy(() -> store.append(key, 0, null)).as(key)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.read(key)).as(key)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(root.resolve("etc")).doesNotExist();
  }

  @Test
  void openingAFileAtAnOffsetCutsWhatLiesPastIt() throws Exception {
    BlobStore store = newStore();
    byte[] data = bytes(10_000, 4);
    write(store, "blobCUTT", 0, data);

    store.append("blobCUTT", 100, null).close(); // opened and closed: cut, nothing added

    assertThat(readAll(store, "blobCUTT", 0)).isEqualTo(java.util.Arrays.copyOf(data, 100));
  }

  @Test
  void strayFilesInTheFolderAreNotKeys() throws Exception {
    BlobStore store = newStore();
    write(store, "blobHHHH", 0, bytes(10, 12));
    Files.write(root.resolve("blobs/bl/.blobHHHH.swp"), new byte[3]);
    Files.write(root.resolve("blobs/bl/notes.txt"), new byte[3]);

    // Every key listed can be handed back to the store (reconciliation deletes orphans).
    assertThat(store.keys()).containsExactly("blobHHHH");
  }
}
