package dev.farmapi.bench.run;

/** The clients the benchmarks put side by side. */
public enum Who {
  OURS("ours"),
  JAVA("Java peer"),
  PYTHON("Python peer"),
  CURL("curl");

  private final String label;

  Who(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
