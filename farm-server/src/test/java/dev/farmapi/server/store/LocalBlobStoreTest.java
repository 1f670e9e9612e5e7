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
      assertThatThrownBy(() -> store.append(key, 0)).as(key)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.read(key)).as(key)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(root.resolve("etc")).doesNotExist();
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
