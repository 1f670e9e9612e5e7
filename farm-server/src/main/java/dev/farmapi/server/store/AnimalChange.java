package dev.farmapi.server.store;

import java.util.Optional;

/**
 * The result of an atomic write to an animal: what it was and what it is now. Callers use
 * {@code before} to reclaim a blob the write replaced.
 */
public record AnimalChange(Optional<Animal> before, Animal after) {

  /** The blob key the change made unreferenced, if any. */
  public Optional<String> replacedBlobKey() {
    return before
        .map(Animal::media)
        .map(Media::blobKey)
        .filter(key -> after.media() == null || !key.equals(after.media().blobKey()));
  }
}
