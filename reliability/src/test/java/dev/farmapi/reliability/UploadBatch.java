package dev.farmapi.reliability;

import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real client's part in the attack test: the same files uploaded one after the other
 * (resumable, 1 MiB chunks, as {@code farm upload} would with {@code --chunk-size 1M}), timed,
 * then each downloaded and compared with its source by SHA-256 (not timed).
 */
final class UploadBatch {
  private final Farm farm;
  private final List<Path> files;
  private final List<Source> sources;
  private final Tally tally;

  UploadBatch(Farm farm, List<Path> files, List<Source> sources, Tally tally) {
    this.farm = farm;
    this.files = files;
    this.sources = sources;
    this.tally = tally;
  }

  /** Uploads every file; returns the milliseconds the uploads took. */
  long run(String phase) throws Exception {
    List<String> ids = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < files.size(); i++) {
      MediaFileUpload media = MediaFileUpload.of(files.get(i))
          .withMimeType("application/octet-stream").withChunkSize(1 << 20).resumable();
      ids.add(farm.animals().insert(new Animal(phase + "-" + i), media).execute().id());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    for (int i = 0; i < ids.size(); i++) {
      String sha = FarmAudit.sha256Of(farm, ids.get(i));
      if (!sha.equals(sources.get(i).sha256())) {
        throw new AssertionError(phase + ": animal " + ids.get(i) + " holds SHA-256 " + sha
            + ", its source " + sources.get(i).sha256());
      }
      tally.increment("uploadsVerified");
    }
    return millis;
  }
}
