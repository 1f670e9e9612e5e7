package dev.farmapi.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.ApiKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
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
  class Keys extends MetadataStoreKeysContract {
    @Override
    protected MetadataStore newStore() throws Exception {
      return openDb();
    }

    @Override
    protected MetadataStore reopen(MetadataStore store) throws Exception {
      return reopenDb(store);
    }
  }

  /**
   * A data folder from before key ids: its keys get the first 8 hex digits of their hash as id,
   * the admin key (the default farm's first) its note, and they keep working, read-write.
   */
  @Test
  void keysMadeBeforeIdsGetAnIdFromTheirHash() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("farm.db").toAbsolutePath();
    Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration/sqlite")
        .target("2").load().migrate();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO api_keys VALUES ('0123456789abcdef', 'default', 1000)");
      st.executeUpdate("INSERT INTO api_keys VALUES ('fedcba9876543210', 'barn', 2000)");
      st.executeUpdate("INSERT INTO api_keys VALUES ('00aa11bb22cc33dd', 'default', 3000)");
    }

    try (MetadataStore store = openDb()) {
      ApiKey admin = store.keyByHash("0123456789abcdef").orElseThrow();
      assertThat(admin.id()).isEqualTo("01234567");
      assertThat(admin.note()).isEqualTo(ApiKeys.ADMIN_NOTE);
      assertThat(admin.isValidAt(Instant.now())).isTrue();
      assertThat(admin.readOnly()).isFalse();
      assertThat(store.key("fedcba98").orElseThrow().farm()).isEqualTo("barn");
      assertThat(store.keys()).extracting(ApiKey::note)
          .containsExactly(ApiKeys.ADMIN_NOTE, null, null);
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
