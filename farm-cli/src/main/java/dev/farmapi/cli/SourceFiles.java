package dev.farmapi.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files that {@code farm upload PATH...} names: files as given, folders with every file below
 * them (in name order), and globs the shell left alone ({@code 'photos/*.jpg'},
 * {@code 'photos/**.png'}), in the order given, each file once.
 */
final class SourceFiles {
  private static final String GLOB_CHARS = "*?[{";

  private SourceFiles() {}

  /** The files; a path that names nothing is a {@link NoSuchFileException}. */
  static List<Path> expand(List<String> args) throws IOException {
    Set<Path> files = new LinkedHashSet<>();
    for (String arg : args) {
      Path path = Path.of(arg).toAbsolutePath().normalize();
      if (Files.isDirectory(path)) {
        files.addAll(below(path, p -> true));
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      } else if (Files.exists(path)) {
        throw new Failures.CommandFailure(ExitCodes.USAGE, arg + " is not a file or a folder");
      } else if (isGlob(arg)) {
        List<Path> matched = glob(arg);
        if (matched.isEmpty()) {
          throw new Failures.CommandFailure(ExitCodes.NOT_FOUND, "no files match '" + arg + "'");
        }
        files.addAll(matched);
      } else {
        throw new NoSuchFileException(arg);
      }
    }
    return new ArrayList<>(files);
  }

  static boolean isGlob(String arg) {
    return arg.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
  }

  /** The files matching a glob, walked from the folder before its first wildcard. */
  private static List<Path> glob(String pattern) throws IOException {
    // The base: the leading segments without a wildcard; the rest is matched below it.
    String[] segments = pattern.split("/", -1);
    Path base = pattern.startsWith("/") ? Path.of("/") : Path.of("").toAbsolutePath();
    int i = 0;
    for (; i < segments.length && !isGlob(segments[i]); i++) {
      base = base.resolve(segments[i]);
    }
    base = base.normalize();
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    String rest = String.join("/", java.util.Arrays.copyOfRange(segments, i, segments.length));
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
    Path from = base;
    return below(base, p -> matcher.matches(from.relativize(p)));
  }

  private static List<Path> below(Path dir, java.util.function.Predicate<Path> keep)
      throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(Path::normalize).filter(keep).sorted().toList();
    }
  }
}
