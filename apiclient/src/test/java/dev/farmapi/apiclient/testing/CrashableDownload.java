package dev.farmapi.apiclient.testing;

import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.MediaDownload;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * A process that downloads media into a file slowly (a slow link), so that a test can kill it
 * midway and continue from its partial file elsewhere.
 *
 * <p>Arguments: media URI, API key, file, bytes per second. Prints {@code at BYTES} as the
 * bytes reach the partial file, and {@code done} at the end.
 */
public final class CrashableDownload {
  public static void main(String[] args) throws Exception {
    ApiClient client = ApiClient.builder().apiKey(args[1]).build();
    long bytesPerSecond = Long.parseLong(args[3]);
    long[] last = {0};
    MediaDownload.to(Path.of(args[2]), client, URI.create(args[0]))
        .withChunkSize(256 * 1024)
        .withProgressListener(p -> {
          long n = p.bytesDownloaded() - last[0];
          last[0] = p.bytesDownloaded();
          System.out.println("at " + p.bytesDownloaded());
          try {
            Thread.sleep(Math.max(1, n * 1000 / bytesPerSecond));
          } catch (InterruptedException e) {
            throw new UncheckedIOException(new InterruptedIOException());
          }
        })
        .execute();
    System.out.println("done");
  }
}
