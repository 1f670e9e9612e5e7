package dev.farmapi.reliability;

import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of a run: every animal of the farm listed, downloaded and hashed, and matched to the
 * uploads that were made (by the MD5 the server reports; every upload has bytes of its own).
 *
 * @param animals animals listed
 * @param verified animals whose downloaded bytes hash like their source (and carry its name);
 *     without downloads, whose MD5 and name match one
 * @param corrupted animals whose bytes or name match no upload, or whose download differs
 * @param missing uploads the client saw succeed that have no animal
 * @param resumableDuplicates extra animals of resumable uploads (must be 0)
 * @param singleRequestDuplicates extra animals of simple and multipart uploads (must be 0)
 * @param problems what each corrupted or missing one was, for the failure message
 */
record FarmAudit(int animals, int verified, int corrupted, int missing, int resumableDuplicates,
    int singleRequestDuplicates, List<String> problems) {

  static FarmAudit of(Farm farm, List<Source> uploaded) throws IOException {
    return of(farm, uploaded, true);
  }

  /**
   * With {@code download} false, animals are matched by the server's MD5 and name only: for
   * runs that already downloaded and compared each animal as it was made.
   */
  static FarmAudit of(Farm farm, List<Source> uploaded, boolean download) throws IOException {
    Map<String, Source> byMd5 = new HashMap<>();
    uploaded.forEach(s -> byMd5.put(s.md5(), s));
    Map<String, Integer> seen = new HashMap<>();
    List<String> problems = new ArrayList<>();
    int animals = 0;
    int verified = 0;
    int corrupted = 0;
    for (Animal animal : farm.animals().all(1000)) {
      animals++;
      Source source = animal.md5Hash() == null ? null : byMd5.get(animal.md5Hash());
      if (source == null || (source.name() != null && !source.name().equals(animal.name()))) {
        corrupted++;
        problems.add("animal " + animal.id() + " (" + animal.name() + ", md5 " + animal.md5Hash()
            + ") matches no upload");
        continue;
      }
      seen.merge(source.md5(), 1, Integer::sum);
      if (!download) {
        verified++;
        continue;
      }
      String sha;
      try {
        sha = sha256Of(farm, animal.id());
      } catch (dev.farmapi.apiclient.ChecksumMismatchError e) {
        sha = "a checksum mismatch (" + e.getMessage() + ")";
      }
      if (sha.equals(source.sha256())) {
        verified++;
      } else {
        corrupted++;
        problems.add("animal " + animal.id() + " of " + source.name() + ": downloaded SHA-256 "
            + sha + ", uploaded " + source.sha256());
      }
    }
    int missing = 0;
    int resumableDuplicates = 0;
    int singleDuplicates = 0;
    for (Source s : uploaded) {
      int n = seen.getOrDefault(s.md5(), 0);
      if (n == 0) {
        missing++;
        problems.add("upload " + s.name() + " (" + s.kind() + ", md5 " + s.md5() + ") has no animal");
      } else if (s.kind().resumable()) {
        resumableDuplicates += n - 1;
      } else {
        singleDuplicates += n - 1;
      }
    }
    return new FarmAudit(animals, verified, corrupted, missing, resumableDuplicates,
        singleDuplicates, List.copyOf(problems));
  }

  /** Downloads through the library (ranged, verified against X-Goog-Hash) and hashes it too. */
  static String sha256Of(Farm farm, String id) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    OutputStream sink = new OutputStream() {
      @Override
      public void write(int b) {
        digest.update((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        digest.update(b, off, len);
      }
    };
    farm.animals().download(id, sink).execute();
    return Source.hex(digest.digest());
  }

  void putInto(Tally tally) {
    tally.set("animals", animals);
    tally.set("verified", verified);
    tally.set("corrupted", corrupted);
    tally.set("missing", missing);
    tally.set("resumableDuplicates", resumableDuplicates);
    tally.set("singleRequestDuplicates", singleRequestDuplicates);
  }
}
