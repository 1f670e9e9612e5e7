package dev.farmapi.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.server.testing.TempPostgres;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The metadata contract over a real PostgreSQL (a temporary cluster of Debian's server, one new
 * database per test), and the session locks that span nodes.
 */
class PostgresMetadataStoreTest {
  static TempPostgres pg;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = TempPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  /** Each test's own database, so that "a new, empty store" is one. */
  private PostgresDatabase database;

  private MetadataStore openDb() throws Exception {
    database = pg.newDatabase();
    return PostgresMetadataStore.open(database, 4);
  }

  private MetadataStore reopenDb(MetadataStore store) throws Exception {
    store.close();
    return PostgresMetadataStore.open(database, 4);
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

  @Test
  void aSessionLockHeldByOneNodeMakesAnotherWaitThenGivesUp() throws Exception {
    PostgresDatabase db = pg.newDatabase();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (PostgresSessionLocks nodeA = new PostgresSessionLocks(db, 2, Duration.ofSeconds(5));
        PostgresSessionLocks nodeB = new PostgresSessionLocks(db, 2, Duration.ofMillis(300))) {
      CountDownLatch bWaits = new CountDownLatch(1);
      Future<Long> bGotIt;
      try (SessionLocks.Held a = nodeA.lock("session-1")) {
        assertThatThrownBy(() -> nodeB.lock("session-1"))
            .isInstanceOf(SessionFencedException.class);
        nodeB.lock("session-2").close(); // other sessions never wait
        bGotIt = other.submit(() -> {
          long start = System.nanoTime();
          bWaits.countDown();
          try (SessionLocks.Held b = nodeA.lock("session-1")) {
            return System.nanoTime() - start;
          }
        });
        bWaits.await();
        Thread.sleep(200);
        assertThat(bGotIt).isNotDone();
      }
      assertThat(bGotIt.get(5, TimeUnit.SECONDS)).isGreaterThan(100_000_000L);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void aDeadNodesLockIsReleasedWithItsConnection() throws Exception {
    PostgresDatabase db = pg.newDatabase();
    PostgresSessionLocks dying = new PostgresSessionLocks(db, 2, Duration.ofSeconds(1));
    try (PostgresSessionLocks survivor = new PostgresSessionLocks(db, 2, Duration.ofSeconds(5))) {
      SessionLocks.Held held = dying.lock("session-1");
      dying.close(); // the node's connections go (a SIGKILLed process's do too)

      try (SessionLocks.Held taken = survivor.lock("session-1")) {
        assertThat(taken).isNotNull();
      }
      held.close(); // a late release on a dead connection is harmless
    }
  }
}
