package dev.farmapi.bench;

import java.util.List;

/**
 * The sizes of one run: full (the brief's), quick (while developing) and tiny (the smoke test).
 *
 * @param durable bytes of the durable-throughput and client-efficiency uploads
 * @param chunk their chunk size
 * @param memoryFile bytes of the memory benchmark's file and stream
 * @param memoryFileChunk chunk size of its file case
 * @param memoryStreamChunk chunk size of its stream case
 * @param loadUploads concurrent uploads of the load benchmark
 * @param loadSize bytes of each
 * @param smallCount small files
 * @param smallSize bytes of each
 * @param sweepSize bytes of the chunk-size sweep's file
 * @param sweepChunks its chunk sizes
 * @param reps repetitions of every measure
 * @param lean the fewest processes (the smoke test): no warm-ups, the main memory cases only
 */
public record Sizes(long durable, long chunk, long memoryFile, long memoryFileChunk,
    long memoryStreamChunk, int loadUploads, long loadSize, int smallCount, int smallSize,
    long sweepSize, List<Long> sweepChunks, int reps, boolean lean) {

  static final long KIB = 1024;
  static final long MIB = 1024 * KIB;
  static final long GIB = 1024 * MIB;

  public static Sizes full(int reps) {
    return new Sizes(GIB, 8 * MIB, 2 * GIB, 256 * MIB, 8 * MIB, 64, 64 * MIB, 2000,
        16 * (int) KIB, 512 * MIB,
        List.of(256 * KIB, MIB, 4 * MIB, 16 * MIB, 64 * MIB, 256 * MIB), reps, false);
  }

  public static Sizes quick() {
    return new Sizes(128 * MIB, 8 * MIB, 256 * MIB, 64 * MIB, 8 * MIB, 16, 8 * MIB, 300,
        16 * (int) KIB, 64 * MIB, List.of(256 * KIB, MIB, 4 * MIB, 16 * MIB, 64 * MIB), 1, false);
  }

  public static Sizes tiny() {
    return new Sizes(8 * MIB, MIB, 16 * MIB, 4 * MIB, MIB, 4, 2 * MIB, 20, 16 * (int) KIB,
        4 * MIB, List.of(256 * KIB, MIB), 1, true);
  }

  /** The same sizes, {@code reps} repetitions. */
  public Sizes withReps(int n) {
    return new Sizes(durable, chunk, memoryFile, memoryFileChunk, memoryStreamChunk, loadUploads,
        loadSize, smallCount, smallSize, sweepSize, sweepChunks, n, lean);
  }

  /** "256 KiB", "8 MiB", "1 GiB". */
  public static String human(long bytes) {
    if (bytes >= GIB && bytes % GIB == 0) {
      return bytes / GIB + " GiB";
    }
    if (bytes >= MIB && bytes % MIB == 0) {
      return bytes / MIB + " MiB";
    }
    if (bytes >= KIB && bytes % KIB == 0) {
      return bytes / KIB + " KiB";
    }
    return bytes + " B";
  }
}
