package dev.farmapi.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} promises: keys, animals isolated by farm, stable paging,
 * atomic read-modify-write, and sessions that complete exactly once. Run it over an
 * implementation by extending it.
 */
public abstract class MetadataStoreContract {
  static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

  protected MetadataStore store;

  /** A new, empty store. */
  protected abstract MetadataStore newStore() throws Exception;

  /** The same store closed and opened again: what survives is what was durable. */
  protected abstract MetadataStore reopen(MetadataStore store) throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
  }

  static Animal animal(String farm, String id, String name, Media media) {
    return new Animal(farm, id, name, null, "etag-" + id, T0, T0, media);
  }

  static Media media(String blobKey, long size) {
    return new Media(blobKey, "image/png", size, "md5-" + blobKey, "crc-" + blobKey);
  }

  static UploadSession session(String id, String farm, String animalId, String blobKey,
      Instant created, Instant expires) {
    return new UploadSession(id, farm, animalId == null ? "farm.animals.insert"
        : "farm.animals.update", animalId, new AnimalFields("Pig", null), "image/png", 1000, 0,
        UploadSession.State.RECEIVING, blobKey, null, null, created, expires, "key1");
  }

  // ---- animals

  @Test
  void animalsRoundTripAndAreVisibleOnlyInTheirFarm() throws Exception {
    Animal withMedia = animal("alpha", "pig", "Pig", media("blobpig", 42));
    Animal without = animal("alpha", "hen", null, null);

    store.insertAnimal(withMedia);
    store.insertAnimal(without);

    assertThat(store.animal("alpha", "pig")).contains(withMedia);
    assertThat(store.animal("alpha", "hen")).contains(without);
    assertThat(store.animal("beta", "pig")).isEmpty();
    assertThat(store.animal("alpha", "cow")).isEmpty();
    store = reopen(store);
    assertThat(store.animal("alpha", "pig")).contains(withMedia);
  }

  @Test
  void theSameIdInTwoFarmsAreTwoAnimalsButTwiceInOneFarmIsRefused() {
    store.insertAnimal(animal("alpha", "pig", "Alpha's", null));
    store.insertAnimal(animal("beta", "pig", "Beta's", null));

    assertThatThrownBy(() -> store.insertAnimal(animal("alpha", "pig", "again", null)))
        .isInstanceOf(RuntimeException.class);
    assertThat(store.animal("alpha", "pig").map(Animal::name)).contains("Alpha's");
    assertThat(store.animal("beta", "pig").map(Animal::name)).contains("Beta's");
  }

  @Test
  void deleteReturnsTheAnimalAndTouchesNoOtherFarm() {
    store.insertAnimal(animal("alpha", "pig", "Pig", media("blobpig", 1)));
    store.insertAnimal(animal("beta", "pig", "Pig", null));

    assertThat(store.deleteAnimal("gamma", "pig")).isEmpty();
    assertThat(store.deleteAnimal("alpha", "pig").map(Animal::media))
        .contains(media("blobpig", 1));
    assertThat(store.deleteAnimal("alpha", "pig")).isEmpty();
    assertThat(store.animal("alpha", "pig")).isEmpty();
    assertThat(store.animal("beta", "pig")).isPresent();
  }

  @Test
  void updateAnimalIsAnAtomicReadModifyWrite() {
    Animal pig = animal("alpha", "pig", "Pig", media("old", 1));
    store.insertAnimal(pig);
    Instant later = T0.plusSeconds(60);

    Optional<AnimalChange> change = store.updateAnimal("alpha", "pig",
        a -> a.withFields(new AnimalFields("Babe", "pig"), later).withMedia(media("new", 2), later));

    assertThat(change).isPresent();
    assertThat(change.get().before()).contains(pig);
    assertThat(change.get().after().name()).isEqualTo("Babe");
    assertThat(change.get().replacedBlobKey()).contains("old");
    assertThat(store.animal("alpha", "pig")).contains(change.get().after());
    assertThat(store.animal("alpha", "pig").get().updateTime()).isEqualTo(later);
  }

  @Test
  void updateAnimalOfAMissingOrForeignAnimalIsEmptyAndDoesNotCallTheChange() {
    store.insertAnimal(animal("alpha", "pig", "Pig", null));
    AtomicBoolean called = new AtomicBoolean();

    assertThat(store.updateAnimal("beta", "pig", a -> {
      called.set(true);
      return a;
    })).isEmpty();
    assertThat(store.updateAnimal("alpha", "cow", a -> {
      called.set(true);
      return a;
    })).isEmpty();
    assertThat(called).isFalse();
  }

  @Test
  void updateAnimalWritesNothingWhenTheChangeThrows() {
    Animal pig = animal("alpha", "pig", "Pig", null);
    store.insertAnimal(pig);

    assertThatThrownBy(() -> store.updateAnimal("alpha", "pig", a -> {
      throw new IllegalStateException("abort");
    })).hasMessage("abort");

    assertThat(store.animal("alpha", "pig")).contains(pig);
    // The store is still usable after an aborted transaction.
    store.insertAnimal(animal("alpha", "hen", "Hen", null));
    assertThat(store.animal("alpha", "hen")).isPresent();
  }

  // ---- listing

  @Test
  void listPagesInInsertionOrderStableAcrossInsertsAndDeletes() {
    for (String id : List.of("a", "b", "c", "d", "e")) {
      store.insertAnimal(animal("alpha", id, id, null));
    }
    store.insertAnimal(animal("beta", "x", "x", null));

    AnimalPage first = store.listAnimals("alpha", 0, 2);
    store.deleteAnimal("alpha", "a");
    store.deleteAnimal("alpha", "c");
    store.insertAnimal(animal("alpha", "f", "f", null));
    AnimalPage second = store.listAnimals("alpha", first.next().getAsLong(), 2);
    AnimalPage third = store.listAnimals("alpha", second.next().getAsLong(), 2);

    assertThat(ids(first)).containsExactly("a", "b");
    assertThat(ids(second)).containsExactly("d", "e");
    assertThat(ids(third)).containsExactly("f");
    assertThat(third.next()).isEmpty();
    assertThat(ids(store.listAnimals("beta", 0, 10))).containsExactly("x");
    assertThat(store.listAnimals("gamma", 0, 10).animals()).isEmpty();
  }

  @Test
  void aPageThatEndsExactlyAtTheLastAnimalHasNoNext() {
    store.insertAnimal(animal("alpha", "a", "a", null));
    store.insertAnimal(animal("alpha", "b", "b", null));

    AnimalPage page = store.listAnimals("alpha", 0, 2);

    assertThat(ids(page)).containsExactly("a", "b");
    assertThat(page.next()).isEmpty();
  }

  static List<String> ids(AnimalPage page) {
    List<String> ids = new ArrayList<>();
    page.animals().forEach(a -> ids.add(a.id()));
    return ids;
  }

  // ---- idempotency keys

  @Test
  void idempotencyKeyMapsToItsAnimalInItsFarmOnlyAndSurvivesAReopen() throws Exception {
    store.recordIdempotentAnimal("alpha", "key-1", "pig", T0.plusSeconds(60));

    assertThat(store.idempotentAnimal("alpha", "key-1", T0)).contains("pig");
    assertThat(store.idempotentAnimal("beta", "key-1", T0)).as("another farm's key").isEmpty();
    assertThat(store.idempotentAnimal("alpha", "key-2", T0)).isEmpty();
    store = reopen(store);
    assertThat(store.idempotentAnimal("alpha", "key-1", T0)).contains("pig");
  }

  @Test
  void anAnimalInsertedWithItsKeyIsFoundByTheKeyAndAFailedInsertRecordsNoKey() throws Exception {
    Animal pig = animal("alpha", "pig", "Pig", media("blobpig", 42));
    store.insertAnimal(pig, "key-1", T0.plusSeconds(60));

    // A second animal with the same id cannot be inserted: its key must not be kept either.
    assertThatThrownBy(() -> store.insertAnimal(animal("alpha", "pig", "Hen", null), "key-2",
        T0.plusSeconds(60))).isInstanceOf(RuntimeException.class);
    store = reopen(store);
    assertThat(store.idempotentAnimal("alpha", "key-1", T0)).contains("pig");
    assertThat(store.animal("alpha", "pig")).contains(pig);
    assertThat(store.idempotentAnimal("alpha", "key-2", T0)).as("the failed insert's key").isEmpty();
  }

  @Test
  void recordingAKeyAgainReplacesItsAnimal() {
    store.recordIdempotentAnimal("alpha", "key-1", "pig", T0.plusSeconds(60));
    store.recordIdempotentAnimal("alpha", "key-1", "hen", T0.plusSeconds(120));

    assertThat(store.idempotentAnimal("alpha", "key-1", T0.plusSeconds(90))).contains("hen");
  }

  @Test
  void expiredKeysAreNotAnsweredAndAreDeletedByTheReaper() {
    store.recordIdempotentAnimal("alpha", "old", "pig", T0.plusSeconds(10));
    store.recordIdempotentAnimal("alpha", "new", "hen", T0.plusSeconds(100));

    assertThat(store.idempotentAnimal("alpha", "old", T0.plusSeconds(10))).isEmpty();
    assertThat(store.deleteExpiredIdempotencyKeys(T0.plusSeconds(10))).isEqualTo(1);
    assertThat(store.deleteExpiredIdempotencyKeys(T0.plusSeconds(10))).isZero();
    assertThat(store.idempotentAnimal("alpha", "new", T0.plusSeconds(10))).contains("hen");
  }
}
