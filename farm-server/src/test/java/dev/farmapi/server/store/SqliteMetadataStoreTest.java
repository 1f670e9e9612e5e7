package dev.farmapi.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The metadata contract over a real SQLite file. */
class SqliteMetadataStoreTest {
  @TempDir Path dir;

  private MetadataStore openDb() throws Exception {
    return SqliteMetadataStore.open(dir.resolve("farm.db"));
  }

  private MetadataStore reopenDb(MetadataStore store) throws Exception {
    store.close();
    return openDb();
  }

  @Nested
  class Animals extends MetadataStoreContract {
    @Override
    protected MetadataStore newStore() throws Exception {
      return openDb();
    }

    @Override
    protected MetadataStore reopen(MetadataStore store) throws Exception {
      return reopenDb(store);
    }
  }

  @Nested
  class Sessions extends MetadataStoreSessionsContract {
    @Override
    protected MetadataStore newStore() throws Exception {
      return openDb();
    }

    @Override
    protected MetadataStore reopen(MetadataStore store) throws Exception {
      return reopenDb(store);
    }
  }
}
