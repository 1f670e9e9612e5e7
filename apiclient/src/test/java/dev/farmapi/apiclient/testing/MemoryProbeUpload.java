package dev.farmapi.apiclient.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaStreamUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process that uploads one file resumably and reports what its heap went through, for a test
 * to run with a small {@code -Xmx}: heap used after a full GC at every chunk (what the upload
 * holds on to) and the highest heap use sampled every 10 ms (garbage included). Heap use is
 * {@code Runtime} total minus free: {@code java.lang.management} is not readable from the
 * library's module, which the tests are compiled into.
 *
 * <p>Arguments: server root URI, API key, file, chunk size, and {@code file} to upload it as a
 * {@link MediaFileUpload} or {@code stream} as a {@link MediaStreamUpload} of unknown size (which
 * must keep one chunk in memory to resend). Prints one line:
 * {@code result animal=ID retainedMaxBytes=N sampledMaxBytes=N maxHeapBytes=N
 * checkpoints=N millis=N}.
 */
public final class MemoryProbeUpload {
  public static void main(String[] args) throws Exception {
    URI root = URI.create(args[0]);
    Path file = Path.of(args[2]);
    long chunkSize = Long.parseLong(args[3]);
    MediaUpload media = args[4].equals("stream")
        ? MediaStreamUpload.of(Files.newInputStream(file), "application/octet-stream")
            .withChunkSize(chunkSize).resumable()
        : MediaFileUpload.of(file).withChunkSize(chunkSize).resumable();
    Runtime runtime = Runtime.getRuntime();
    ApiClient client = ApiClient.builder().apiKey(args[1]).build();

    AtomicLong sampledMax = new AtomicLong();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        sampledMax.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);

    AtomicLong retainedMax = new AtomicLong();
    AtomicLong checkpoints = new AtomicLong(); // the initiation and every 308
    System.gc();
    sampler.start();
    long start = System.nanoTime();
    JsonNode animal = client.request("POST", root.resolve("farm/v1/animals"))
        .media(media, root.resolve("upload/farm/v1/animals"))
        .sessionListener(session -> {
          checkpoints.incrementAndGet();
          System.gc(); // what is left is what the upload holds between chunks
          retainedMax.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
        })
        .build()
        .execute();
    long millis = (System.nanoTime() - start) / 1_000_000;
    sampler.interrupt();
    System.out.println("result animal=" + animal.get("id").asText()
        + " retainedMaxBytes=" + retainedMax.get()
        + " sampledMaxBytes=" + sampledMax.get()
        + " maxHeapBytes=" + runtime.maxMemory()
        + " checkpoints=" + checkpoints.get()
        + " millis=" + millis);
  }
}
