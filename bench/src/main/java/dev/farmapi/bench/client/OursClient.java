package dev.farmapi.bench.client;

import dev.farmapi.apiclient.Credentials;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaStreamUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Our client in its own process, as a user's program would use it: {@code Farm.connect} and
 * {@code animals().insert(animal, media).execute()}.
 *
 * <pre>
 *   file   ROOT KEY FILE CHUNK        resumable MediaFileUpload
 *   stream ROOT KEY CHUNK             resumable MediaStreamUpload of stdin (unknown size)
 *   small  ROOT KEY LISTFILE          one multipart upload per listed file, sequentially
 *   load   ROOT KEY FILE CHUNK N      N concurrent resumable uploads of FILE, one client
 *   startup ROOT KEY                  one small GET: the fixed cost of a process, to subtract
 *   download-small ROOT KEY LISTFILE DIR   MediaDownload of each listed id into DIR/ID, as
 *                                     farm download does (prints seconds and downloads)
 * </pre>
 */
public final class OursClient {
  private static final String TYPE = "application/octet-stream";

  private OursClient() {}

  public static void main(String[] args) throws Exception {
    // Retries would hide in the timings: say each one on stderr (the harness shows stderr).
    Farm farm = Farm.connect(URI.create(args[1]), Farm.clientBuilder().credentials(Credentials.bearer(args[2]))
        .retryListener(r -> System.err.println("retry " + r.number() + " of " + r.request()
            + " after " + r.failure() + " in " + r.delay().toMillis() + " ms"))
        .build());
    UploadLog log = new UploadLog();
    switch (args[0]) {
      case "file" -> {
        MediaUpload media = file(Path.of(args[3]), Long.parseLong(args[4]));
        log.start();
        record(log, farm.animals().insert(new Animal("bench"), media).execute());
      }
      case "stream" -> {
        MediaUpload media = MediaStreamUpload.of(System.in, TYPE)
            .withChunkSize(Long.parseLong(args[3])).resumable();
        log.start();
        record(log, farm.animals().insert(new Animal("bench-stream"), media).execute());
      }
      case "small" -> {
        List<Path> files = list(Path.of(args[3]));
        log.start();
        int i = 0;
        for (Path f : files) {
          MediaUpload media = MediaFileUpload.of(f).withMimeType(TYPE);
          record(log, farm.animals().insert(new Animal("small-" + i++), media).execute());
        }
      }
      case "load" -> load(farm, log, Path.of(args[3]), Long.parseLong(args[4]),
          Integer.parseInt(args[5]));
      case "startup" -> {
        log.start();
        farm.animals().list(1, null).execute();
      }
      case "download-small" -> {
        List<String> ids = list(Path.of(args[3])).stream().map(Path::toString).toList();
        Path dir = Path.of(args[4]);
        long start = System.nanoTime();
        for (String id : ids) {
          farm.animals().download(id, dir.resolve(id)).withChunkSize(-1).execute();
        }
        System.out.printf(java.util.Locale.ROOT, "{\"seconds\":%.6f,\"downloads\":%d}%n",
            (System.nanoTime() - start) / 1e9, ids.size());
        return;
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    log.finish();
  }

  private static void load(Farm farm, UploadLog log, Path file, long chunk, int n)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<Animal>> all = new ArrayList<>();
    log.start();
    for (int i = 0; i < n; i++) {
      String name = "load-" + i;
      all.add(pool.submit(() -> farm.animals().insert(new Animal(name), file(file, chunk))
          .execute()));
    }
    for (Future<Animal> f : all) {
      record(log, f.get());
    }
    pool.shutdown();
  }

  private static MediaUpload file(Path path, long chunk) throws IOException {
    return MediaFileUpload.of(path).withMimeType(TYPE).withChunkSize(chunk).resumable();
  }

  static List<Path> list(Path listFile) throws IOException {
    List<Path> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(listFile)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          out.add(Path.of(line.strip()));
        }
      }
    }
    return out;
  }

  private static void record(UploadLog log, Animal a) {
    log.stored(a.id(), a.md5Hash(), a.mediaSize());
  }
}
