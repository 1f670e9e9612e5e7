package dev.farmapi.cli;

import dev.farmapi.farm.Animal;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Animals as people read them: a table of many, or the fields of one. */
final class AnimalText {
  private static final String NONE = "-";

  private AnimalText() {}

  /** One line per animal under a header, in aligned columns: id, name, species, size, type. */
  static void table(List<Animal> animals, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "NAME", "SPECIES", "SIZE", "TYPE"});
    for (Animal a : animals) {
      rows.add(new String[] {clean(a.id()), clean(a.name()), clean(a.species()),
          a.hasMedia() ? Sizes.format(a.mediaSize()) : NONE, clean(a.mediaContentType())});
    }
    Columns.print(rows, out);
  }

  /** Every field of one animal, a line each. */
  static void details(Animal a, PrintStream out) {
    field(out, "id", clean(a.id()));
    field(out, "name", clean(a.name()));
    field(out, "species", clean(a.species()));
    if (a.hasMedia()) {
      field(out, "media", clean(a.mediaContentType()) + ", " + Sizes.format(a.mediaSize())
          + " (" + a.mediaSize() + " bytes)");
      field(out, "md5", clean(a.md5Hash()));
      field(out, "crc32c", clean(a.crc32c()));
    } else {
      field(out, "media", "none");
    }
    field(out, "created", a.createTime() == null ? NONE : a.createTime().toString());
    field(out, "updated", a.updateTime() == null ? NONE : a.updateTime().toString());
    field(out, "etag", clean(a.etag()));
    out.flush();
  }

  private static void field(PrintStream out, String name, String value) {
    out.println(String.format("%-9s %s", name + ":", value));
  }

  /** A value fit for one cell: "-" when unset, control characters (a newline in a name) as '?'. */
  static String clean(String value) {
    if (value == null || value.isEmpty()) {
      return NONE;
    }
    StringBuilder b = new StringBuilder(value.length());
    value.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }
}
