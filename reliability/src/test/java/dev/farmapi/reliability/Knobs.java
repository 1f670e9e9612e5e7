package dev.farmapi.reliability;

/**
 * The sizes of a reliability run, from system properties ({@code -Dreliability.kills=300} on the
 * mvn command line reaches the forked test JVM as a user property), with CI defaults.
 */
final class Knobs {
  private Knobs() {}

  static int integer(String name, int ciDefault) {
    String value = System.getProperty("reliability." + name);
    if (value == null || value.isBlank()) {
      return ciDefault;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-Dreliability." + name + " must be a whole number, not "
          + value, e);
    }
  }

  /** A seed: the given one to replay a run, else a fresh one (printed in the summary). */
  static long seed() {
    String value = System.getProperty("reliability.seed");
    return value == null || value.isBlank() ? System.nanoTime() : Long.parseLong(value.strip());
  }
}
