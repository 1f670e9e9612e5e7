package dev.farmapi.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The retry-test instructions of one upload: each of its expected requests gets, with
 * probability {@code rate}, a fault drawn from the vocabulary (error statuses, a reset, an error
 * after part of the body, a broken final answer, a short stall), else lets the request pass
 * ({@code stall-for-0s-after-0K}). Trailing passes are dropped; an upload without a fault gets
 * no retry test at all.
 */
record FaultPlan(List<String> instructions) {
  static final String PASS = "stall-for-0s-after-0K";
  private static final String[] STATUSES = {"500", "502", "503", "504", "408", "429"};

  /**
   * A plan for {@code requests} requests whose bodies carry up to {@code bodyBytes} of media.
   */
  static FaultPlan draw(Random random, int requests, long bodyBytes, double rate) {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      all.add(random.nextDouble() < rate ? fault(random, bodyBytes) : PASS);
    }
    int end = all.size();
    while (end > 0 && all.get(end - 1).equals(PASS)) {
      end--;
    }
    return new FaultPlan(List.copyOf(all.subList(0, end)));
  }

  private static String fault(Random random, long bodyBytes) {
    int kib = (int) Math.max(1, Math.min(bodyBytes / 1024 - 1, Integer.MAX_VALUE));
    return switch (random.nextInt(10)) {
      case 0, 1, 2, 3 -> "return-" + STATUSES[random.nextInt(STATUSES.length)];
      case 4, 5 -> "return-reset-connection";
      case 6, 7 -> "return-503-after-" + (1 + random.nextInt(kib)) + "K";
      case 8 -> "return-broken-stream-final-chunk-after-" + random.nextInt(64) + "B";
      default -> "stall-for-1s-after-" + random.nextInt(kib) + "K";
    };
  }

  boolean isEmpty() {
    return instructions.isEmpty();
  }

  /** The faults of the plan (without the passes). */
  int faults() {
    return faultsIn(instructions);
  }

  static int faultsIn(List<String> instructions) {
    return instructions.size() - Collections.frequency(instructions, PASS);
  }

  String[] toArray() {
    return instructions.toArray(String[]::new);
  }
}
