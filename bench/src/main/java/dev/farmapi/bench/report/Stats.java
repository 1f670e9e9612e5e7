package dev.farmapi.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median and spread (min-max) of a metric's repetitions. */
public record Stats(double median, double min, double max, int n) {

  public static Stats of(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    v.removeIf(d -> d == null || d.isNaN());
    if (v.isEmpty()) {
      return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    Collections.sort(v);
    int n = v.size();
    double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    return new Stats(median, v.get(0), v.get(n - 1), n);
  }

  public boolean present() {
    return n > 0;
  }

  /** "12.3 (11.9-13.0)" or just the median when there was one repetition. */
  public String text() {
    if (!present()) {
      return "-";
    }
    return n == 1 ? fmt(median) : fmt(median) + " (" + fmt(min) + "-" + fmt(max) + ")";
  }

  /** Three significant digits or so, no exponent. */
  public static String fmt(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "-";
    }
    double a = Math.abs(d);
    if (a >= 100) {
      return String.format("%.0f", d);
    }
    if (a >= 10) {
      return String.format("%.1f", d);
    }
    if (a >= 1) {
      return String.format("%.2f", d);
    }
    return String.format("%.3f", d);
  }
}
