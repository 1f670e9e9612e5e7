package dev.farmapi.bench.report;

import java.util.List;

/** A Markdown document under construction: headings, paragraphs, tables. */
final class Markdown {
  private final StringBuilder text = new StringBuilder();

  Markdown heading(int level, String title) {
    text.append("\n").append("#".repeat(level)).append(' ').append(title).append("\n\n");
    return this;
  }

  Markdown para(String paragraph) {
    text.append(paragraph).append("\n\n");
    return this;
  }

  Markdown bullet(String item) {
    text.append("- ").append(item).append('\n');
    return this;
  }

  Markdown end() {
    text.append('\n');
    return this;
  }

  Markdown table(List<String> header, List<List<String>> rows) {
    text.append("| ").append(String.join(" | ", header)).append(" |\n|");
    header.forEach(h -> text.append(" --- |"));
    text.append('\n');
    for (List<String> row : rows) {
      text.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    text.append('\n');
    return this;
  }

  Markdown image(String alt, String path) {
    text.append("![").append(alt).append("](").append(path).append(")\n\n");
    return this;
  }

  /** "1.23x", or "-" when either side is missing. */
  static String ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
      return "-";
    }
    return Stats.fmt(a / b) + "x";
  }

  @Override
  public String toString() {
    return text.toString().strip() + "\n";
  }
}
