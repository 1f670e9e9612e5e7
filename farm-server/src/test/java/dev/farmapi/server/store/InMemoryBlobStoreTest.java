package dev.farmapi.server.store;

import dev.farmapi.server.testing.InMemoryBlobStore;

/** The state machine's unit tests lean on this fake: it keeps the same contract as the real stores. */
class InMemoryBlobStoreTest extends BlobStoreContract {
  private final InMemoryBlobStore store = new InMemoryBlobStore();

  @Override
  protected BlobStore newStore() {
    return store;
  }

  @Override
  protected BlobStore reopen() {
    return store; // memory is its own durable storage
  }
}
