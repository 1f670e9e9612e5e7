package dev.farmapi.reliability;

import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One client thread of the soak: takes jobs from a shared queue, uploads each (with a retry test
 * of random faults when its {@link FaultPlan} has any), downloads the animal back and compares
 * hashes, and counts what happened.
 */
final class SoakClient implements Runnable {
  private static final int KIB_256 = 256 * 1024;
  private static final String METHOD = "farm.animals.insert";

  /** One upload to make. */
  record Job(int number, Source.Kind kind, long size, long chunkSize, long seed) {
    boolean large() {
      return size > 8 * KIB_256;
    }
  }

  private final LiveServer server;
  private final Farm farm;
  private final Queue<Job> jobs;
  private final Tally tally;
  private final double faultRate;
  private final Path dir;
  private final Random random;
  private final List<Source> uploaded;
  private final List<String> problems = new CopyOnWriteArrayList<>();

  SoakClient(LiveServer server, Farm farm, Queue<Job> jobs, Tally tally, double faultRate,
      Path dir, long seed, List<Source> uploaded) {
    this.server = server;
    this.farm = farm;
    this.jobs = jobs;
    this.tally = tally;
    this.faultRate = faultRate;
    this.dir = dir;
    this.random = new Random(seed);
    this.uploaded = uploaded;
  }

  List<String> problems() {
    return problems;
  }

  @Override
  public void run() {
    for (Job job; (job = jobs.poll()) != null; ) {
      try {
        upload(job);
      } catch (Throwable t) {
        tally.increment("uploadsFailed");
        problems.add("upload " + job + " failed: " + t);
      }
    }
  }

  private void upload(Job job) throws Exception {
    String name = job.kind() == Source.Kind.SIMPLE ? null : "soak-" + job.number();
    Path file = null;
    Source source;
    MediaUpload media;
    if (job.large()) {
      file = dir.resolve("large-" + job.number() + ".bin");
      source = Source.file(name, file, job.size(), job.seed());
      media = MediaFileUpload.of(file).withMimeType("application/octet-stream")
          .withChunkSize(job.chunkSize()).resumable();
    } else {
      byte[] bytes = Source.bytes((int) job.size(), job.seed());
      source = Source.of(name, job.kind(), bytes);
      media = MediaInMemoryUpload.of(bytes, "application/octet-stream")
          .withChunkSize(job.chunkSize()).withResumable(job.kind().resumable());
    }
    try {
      int requests = job.kind().resumable()
          ? 1 + (int) ((job.size() + job.chunkSize() - 1) / job.chunkSize()) : 1;
      FaultPlan plan = FaultPlan.draw(random, requests,
          job.kind().resumable() ? Math.min(job.chunkSize(), job.size()) : job.size(), faultRate);
      HttpRequest.Builder<Animal> request = job.kind() == Source.Kind.SIMPLE
          ? farm.client().request("POST", farm.root().resolve("farm/v1/animals"))
              .media(media, farm.root().resolve("upload/farm/v1/animals")).as(Animal.class)
          : farm.animals().prepareInsert(new Animal(name), media);
      String test = null;
      if (!plan.isEmpty()) {
        test = server.retryTest(METHOD, plan.toArray());
        request.header("x-retry-test-id", test);
        tally.increment("uploadsWithFaults");
      }
      Animal animal = request.build().execute();
      uploaded.add(source);
      tally.increment(job.kind().name().toLowerCase(java.util.Locale.ROOT) + "Uploads");
      tally.add(job.large() ? "largeBytes" : "smallBytes", job.size());
      tally.add("requestsPlanned", requests);
      if (test != null) {
        int left = FaultPlan.faultsIn(server.retryTestRemaining(test, METHOD));
        tally.add("faultsPlanned", plan.faults());
        tally.add("faultsInjected", plan.faults() - left);
      }
      String sha = FarmAudit.sha256Of(farm, animal.id());
      tally.increment("downloadsVerified");
      if (!sha.equals(source.sha256())) {
        tally.increment("verificationFailures");
        problems.add("animal " + animal.id() + " of " + job + ": SHA-256 " + sha + ", uploaded "
            + source.sha256());
      }
    } finally {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }
}
