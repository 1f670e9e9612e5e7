package dev.farmapi.bench;

/**
 * The sizes of one cluster benchmark run ({@link ClusterBenchMain}): full (the issue's), quick
 * (while developing) and tiny (the smoke test).
 *
 * @param loadUploads concurrent uploads of the load benchmark
 * @param loadSize bytes of each
 * @param chunk chunk size of the load and per-GiB uploads
 * @param storeSize bytes of the one upload that compares the stores
 * @param smallChunkSize bytes of the upload in small chunks (S3's staging path)
 * @param smallChunk its chunk size
 * @param reps repetitions of every measure
 * @param lean no warm-up uploads (the smoke test)
 */
public record ClusterSizes(int loadUploads, long loadSize, long chunk, long storeSize,
    long smallChunkSize, long smallChunk, int reps, boolean lean) {

  public static ClusterSizes full(int reps) {
    return new ClusterSizes(64, 16 * Sizes.MIB, 8 * Sizes.MIB, Sizes.GIB, 256 * Sizes.MIB,
        256 * Sizes.KIB, reps, false);
  }

  public static ClusterSizes quick() {
    return new ClusterSizes(16, 16 * Sizes.MIB, 8 * Sizes.MIB, 256 * Sizes.MIB, 32 * Sizes.MIB,
        256 * Sizes.KIB, 1, false);
  }

  public static ClusterSizes tiny() {
    return new ClusterSizes(4, 2 * Sizes.MIB, Sizes.MIB, 16 * Sizes.MIB, 2 * Sizes.MIB,
        256 * Sizes.KIB, 1, true);
  }

  /** The same sizes, {@code n} repetitions. */
  public ClusterSizes withReps(int n) {
    return new ClusterSizes(loadUploads, loadSize, chunk, storeSize, smallChunkSize, smallChunk,
        n, lean);
  }
}
