package dev.farmapi.server.store;

import static dev.farmapi.server.store.MetadataStoreContract.T0;
import static dev.farmapi.server.store.MetadataStoreContract.animal;
import static dev.farmapi.server.store.MetadataStoreContract.media;
import static dev.farmapi.server.store.MetadataStoreContract.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upload-session half of the {@link MetadataStore} contract. */
public abstract class MetadataStoreSessionsContract {
  static final Instant EXPIRES = T0.plusSeconds(3600);

  protected MetadataStore store;

  protected abstract MetadataStore newStore() throws Exception;

  protected abstract MetadataStore reopen(MetadataStore store) throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
  }

  @Test
  void sessionsRoundTripAndRecordProgress() throws Exception {
    UploadSession s = session("s1", "alpha", null, "blob1", T0, EXPIRES);
    store.insertSession(s);

    store.recordProgress("s1", 0, 262144, 600000, "state-1");
    store = reopen(store);

    UploadSession read = store.session("s1").orElseThrow();
    assertThat(read.committed()).isEqualTo(262144);
    assertThat(read.total()).isEqualTo(600000);
    assertThat(read.fields()).isEqualTo(new AnimalFields("Pig", null));
    assertThat(read.blobKey()).isEqualTo("blob1");
    assertThat(read.blobState()).isEqualTo("state-1");
    assertThat(read.state()).isEqualTo(UploadSession.State.RECEIVING);
    assertThat(read.expireTime()).isEqualTo(EXPIRES);
    assertThat(read.keyId()).isEqualTo("key1");
    assertThat(store.session("nope")).isEmpty();
  }

  @Test
  void progressIsFencedByTheOffsetItsWriterRead() {
    store.insertSession(session("s1", "alpha", null, "blob1", T0, EXPIRES));
    store.recordProgress("s1", 0, 262144, 1000000, "a");

    // A writer that read offset 0 and paused while another moved the session on.
    assertThatThrownBy(() -> store.recordProgress("s1", 0, 524288, 1000000, "stale"))
        .isInstanceOf(SessionFencedException.class);
    assertThatThrownBy(() -> store.recordProgress("gone", 0, 1, 1, null))
        .isInstanceOf(SessionFencedException.class);

    UploadSession read = store.session("s1").orElseThrow();
    assertThat(read.committed()).isEqualTo(262144);
    assertThat(read.blobState()).isEqualTo("a");
  }

  @Test
  void aCompletedSessionTakesNoMoreProgressAndDoesNotCompleteTwice() {
    store.insertSession(session("s1", "alpha", null, "blob1", T0, EXPIRES));
    store.completeSession("s1", none -> animal("alpha", "pig", null, media("blob1", 1000)));

    assertThatThrownBy(() -> store.recordProgress("s1", 1000, 1000, 1000, null))
        .isInstanceOf(SessionFencedException.class);
    assertThatThrownBy(() -> store.completeSession("s1",
        none -> animal("alpha", "pig2", null, media("blob1", 1000))))
        .isInstanceOf(SessionFencedException.class);
    assertThat(store.animal("alpha", "pig2")).isEmpty();
  }

  @Test
  void sessionWithoutMetadataKeepsNoFields() {
    UploadSession s = new UploadSession("s1", "alpha", "farm.animals.insert", null, null,
        "image/png", -1, 0, UploadSession.State.RECEIVING, "blob1", null, "rt", T0, EXPIRES, null);

    store.insertSession(s);

    assertThat(store.session("s1")).contains(s);
  }

  @Test
  void expiredSessionsAreThoseAtOrPastTheirExpiry() {
    store.insertSession(session("old", "alpha", null, "b1", T0, T0.plusSeconds(10)));
    store.insertSession(session("now", "alpha", null, "b2", T0, T0.plusSeconds(20)));
    store.insertSession(session("young", "alpha", null, "b3", T0, T0.plusSeconds(30)));

    assertThat(store.expiredSessions(T0.plusSeconds(20))).extracting(UploadSession::id)
        .containsExactlyInAnyOrder("old", "now");
    assertThat(store.expiredSessions(T0)).isEmpty();
  }

  @Test
  void receivingListsHoldOnlyUnfinishedSessionsOldestFirstPerFarm() {
    store.insertSession(session("b", "alpha", null, "b1", T0.plusSeconds(2), EXPIRES));
    store.insertSession(session("a", "alpha", null, "b2", T0.plusSeconds(1), EXPIRES));
    store.insertSession(session("c", "beta", null, "b3", T0, EXPIRES));
    store.insertSession(session("done", "alpha", null, "b4", T0, EXPIRES));
    store.completeSession("done", none -> animal("alpha", "x", null, media("b4", 1000)));

    assertThat(store.receivingSessions()).extracting(UploadSession::id)
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(store.receivingSessions("alpha")).extracting(UploadSession::id)
        .containsExactly("a", "b");
    assertThat(store.receivingSessionCount()).isEqualTo(3);
    store.deleteSession("c");
    assertThat(store.receivingSessionCount()).isEqualTo(2);
    assertThat(store.session("c")).isEmpty();
  }

  @Test
  void completingAnInsertWritesTheAnimalAndMarksTheSessionInOneStep() throws Exception {
    store.insertSession(session("s1", "alpha", null, "blob1", T0, EXPIRES));
    Animal made = animal("alpha", "pig", "Pig", media("blob1", 1000));

    AnimalChange change = store.completeSession("s1", before -> {
      assertThat(before).isEmpty();
      return made;
    });
    store = reopen(store);

    assertThat(change.before()).isEmpty();
    assertThat(change.after()).isEqualTo(made);
    assertThat(store.animal("alpha", "pig")).contains(made);
    UploadSession done = store.session("s1").orElseThrow();
    assertThat(done.isComplete()).isTrue();
    assertThat(done.resultAnimalId()).isEqualTo("pig");
    assertThat(done.committed()).isEqualTo(1000);
    assertThat(done.total()).isEqualTo(1000);
  }

  @Test
  void completingAnUpdateGetsTheAnimalAndReportsTheReplacedBlob() {
    Animal pig = animal("alpha", "pig", "Pig", media("old", 10));
    store.insertAnimal(pig);
    store.insertSession(session("s1", "alpha", "pig", "new", T0, EXPIRES));

    AnimalChange change = store.completeSession("s1",
        before -> before.orElseThrow().withMedia(media("new", 1000), T0.plusSeconds(1)));

    assertThat(change.before()).contains(pig);
    assertThat(change.replacedBlobKey()).contains("old");
    assertThat(store.animal("alpha", "pig").map(Animal::media)).contains(media("new", 1000));
  }

  @Test
  void completionThatThrowsLeavesTheSessionAndTheAnimalsUntouched() {
    Animal pig = animal("alpha", "pig", "Pig", media("old", 10));
    store.insertAnimal(pig);
    store.insertSession(session("s1", "alpha", "pig", "new", T0, EXPIRES));
    store.recordProgress("s1", 0, 1000, 1000, null);
    UploadSession before = store.session("s1").orElseThrow();

    assertThatThrownBy(() -> store.completeSession("s1", a -> {
      throw new IllegalStateException("the animal went away");
    })).hasMessage("the animal went away");
    // An insert whose animal cannot be written (its id is taken) rolls back the same way.
    store.insertSession(session("s2", "alpha", null, "blob2", T0, EXPIRES));
    UploadSession before2 = store.session("s2").orElseThrow();
    assertThatThrownBy(() -> store.completeSession("s2",
        none -> animal("alpha", "pig", "Dup", media("blob2", 1000))))
        .isInstanceOf(RuntimeException.class);

    assertThat(store.session("s1")).contains(before);
    assertThat(store.session("s2")).contains(before2);
    assertThat(store.animal("alpha", "pig")).contains(pig);
    assertThat(store.receivingSessions()).extracting(UploadSession::id)
        .containsExactlyInAnyOrder("s1", "s2");
  }

  @Test
  void completingAnUnknownSessionFails() {
    assertThatThrownBy(() -> store.completeSession("nope",
        a -> animal("alpha", "pig", null, media("b", 1))))
        .isInstanceOf(RuntimeException.class);
    assertThat(store.animal("alpha", "pig")).isEmpty();
  }

  @Test
  void referencedBlobKeysAreThoseOfAnimalsAndReceivingSessions() {
    store.insertAnimal(animal("alpha", "pig", "Pig", media("animalblob", 1)));
    store.insertAnimal(animal("alpha", "hen", "Hen", null));
    store.insertSession(session("s1", "alpha", null, "stagingblob", T0, EXPIRES));
    store.insertSession(session("s2", "beta", null, "doneblob", T0, EXPIRES));
    store.completeSession("s2", none -> animal("beta", "cow", null, media("doneblob", 1000)));

    assertThat(store.referencedBlobKeys())
        .containsExactlyInAnyOrder("animalblob", "stagingblob", "doneblob");

    store.deleteAnimal("alpha", "pig");
    store.deleteSession("s1");
    assertThat(store.referencedBlobKeys()).containsExactly("doneblob");
    assertThat(Optional.of(store.referencedBlobKeys())).isPresent();
  }
}
