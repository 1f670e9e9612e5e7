package dev.farmapi.bench.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;

/** The report's charts as PNGs (XChart, headless): medians of the runs. */
public final class Charts {
  private Charts() {}

  /** A bar per subject: the median of {@code metric} of {@code bench}. */
  public static boolean bars(Results r, String bench, String metric, String title,
      String yTitle, Path png) throws IOException {
    List<String> names = new ArrayList<>();
    List<Double> medians = new ArrayList<>();
    for (String subject : r.subjects(bench, metric)) {
      Stats s = r.stats(bench, subject, metric);
      if (s.present()) {
        names.add(subject);
        medians.add(Math.round(s.median() * 10) / 10.0); // short bar labels
      }
    }
    if (names.isEmpty()) {
      return false;
    }
    boolean longNames = names.stream().anyMatch(n -> n.length() > 14);
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(longNames ? 650 : 520)
        .title(title).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(longNames ? 30 : 0);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.addSeries("median", names, medians);
    save(chart, png);
    return true;
  }

  /** One line per subject: the median of each metric in {@code metrics}, at x. */
  public static boolean lines(Results r, String bench, List<String> subjects,
      List<String> metrics, double[] x, String title, String xTitle, String yTitle, Path png)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(LegendPosition.InsideSE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    boolean any = false;
    for (String subject : subjects) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < metrics.size(); i++) {
        Stats s = r.stats(bench, subject, metrics.get(i));
        if (s.present()) {
          xs.add(x[i]);
          ys.add(s.median());
        }
      }
      if (!xs.isEmpty()) {
        chart.addSeries(subject, xs, ys);
        any = true;
      }
    }
    if (any) {
      save(chart, png);
    }
    return any;
  }

  private static void save(Chart<?, ?> chart, Path png) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(png)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
    }
  }
}
