package dev.farmapi.reliability;

import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.ResumableSession;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client thread of the server crash loop: uploads one new animal after another until told
 * to stop, through the library (which retries refused and dropped connections with backoff).
 * Resumable uploads record every acknowledged offset in the {@link AckLedger}; should the library
 * give up, the upload continues from its last saved {@link ResumableSession}, as a restarted
 * process would.
 */
final class CrashLoopClient implements Runnable {
  private static final int KIB_256 = 256 * 1024;
  private static final int MAX_RESUMES = 5;

  private final String label;
  private final Farm farm;
  private final AckLedger ledger;
  private final Tally tally;
  private final Random random;
  private final AtomicBoolean stop;
  private final List<Source> uploaded;
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();

  CrashLoopClient(String label, Farm farm, AckLedger ledger, Tally tally, long seed,
      AtomicBoolean stop, List<Source> uploaded) {
    this.label = label;
    this.farm = farm;
    this.ledger = ledger;
    this.tally = tally;
    this.random = new Random(seed);
    this.stop = stop;
    this.uploaded = uploaded;
  }

  List<Throwable> failures() {
    return failures;
  }

  @Override
  public void run() {
    for (int n = 0; !stop.get(); n++) {
      String name = label + "-" + n;
      try {
        uploaded.add(random.nextInt(10) < 7 ? resumable(name) : single(name));
      } catch (Throwable t) {
        failures.add(new AssertionError("upload " + name + " failed", t));
        tally.increment("uploadsFailed");
        return;
      }
    }
  }

  /** A few MiB (and an odd tail) in 256 KiB chunks. */
  private Source resumable(String name) throws IOException {
    byte[] bytes = Source.bytes(KIB_256 * (4 + random.nextInt(16)) + random.nextInt(KIB_256),
        random.nextLong());
    MediaInMemoryUpload media = MediaInMemoryUpload.of(bytes, "application/octet-stream")
        .withChunkSize(KIB_256).resumable();
    ResumableSession[] saved = new ResumableSession[1];
    HttpRequest<Animal> request = farm.animals().prepareInsert(new Animal(name), media)
        .sessionListener(s -> {
          saved[0] = s;
          ledger.record(s);
        }).build();
    for (int resumes = 0; ; resumes++) {
      try {
        Animal animal = request.execute();
        ledger.completed(saved[0].sessionUri());
        check(animal, bytes.length);
        tally.increment("resumableUploads");
        tally.add("resumableBytes", bytes.length);
        return Source.of(name, Source.Kind.RESUMABLE, bytes);
      } catch (IOException e) {
        if (resumes == MAX_RESUMES || saved[0] == null) {
          throw e;
        }
        // The library gave up (its deadline passed while the server was down): continue from
        // the saved session, as a new process would.
        tally.increment("resumedFromSavedSession");
        request = farm.animals().prepareInsert(new Animal(name), media).resumeFrom(saved[0])
            .sessionListener(s -> {
              saved[0] = s;
              ledger.record(s);
            }).build();
      }
    }
  }

  /** 16-300 KiB in one request: multipart (with the name) or simple (no metadata). */
  private Source single(String name) throws IOException {
    byte[] bytes = Source.bytes(16 * 1024 + random.nextInt(284 * 1024), random.nextLong());
    MediaInMemoryUpload media = MediaInMemoryUpload.of(bytes, "application/octet-stream");
    if (random.nextBoolean()) {
      check(farm.animals().insert(new Animal(name), media).execute(), bytes.length);
      tally.increment("multipartUploads");
      tally.add("singleRequestBytes", bytes.length);
      return Source.of(name, Source.Kind.MULTIPART, bytes);
    }
    URI root = farm.root();
    HttpRequest<Animal> simple = farm.client().request("POST", root.resolve("farm/v1/animals"))
        .media(media, root.resolve("upload/farm/v1/animals")).as(Animal.class).build();
    check(simple.execute(), bytes.length);
    tally.increment("simpleUploads");
    tally.add("singleRequestBytes", bytes.length);
    return Source.of(null, Source.Kind.SIMPLE, bytes);
  }

  private static void check(Animal animal, long size) {
    if (animal == null || animal.mediaSize() == null || animal.mediaSize() != size) {
      throw new AssertionError("the upload answered " + animal + ", not an animal of " + size
          + " bytes");
    }
  }
}
