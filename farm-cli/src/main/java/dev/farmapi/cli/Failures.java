package dev.farmapi.cli;

import dev.farmapi.apiclient.ChecksumMismatchError;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.apiclient.ServerUnreachableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;

/** Turns what went wrong into an exit code and one clear line. */
final class Failures {
  private Failures() {}

  /** A failure the command explains itself, with its exit code. */
  static final class CommandFailure extends RuntimeException {
    final int exitCode;

    CommandFailure(int exitCode, String message) {
      this(exitCode, message, null);
    }

    /** With the failure it explains, which {@code --verbose} shows. */
    CommandFailure(int exitCode, String message, Throwable cause) {
      super(message, cause, false, false);
      this.exitCode = exitCode;
    }
  }

  /**
   * The exit code of a failure. Whether it is the server's passing trouble (6) is the library's
   * verdict ({@link RetryPolicy#isRetryable}), not decided again here.
   */
  static int exitCode(Throwable e) {
    if (e instanceof CommandFailure f) {
      return f.exitCode;
    }
    if (e instanceof HttpError http) {
      int status = http.statusCode();
      if (status == 401 || (status == 403 && !RetryPolicy.isRetryable(e))) {
        return ExitCodes.AUTH;
      }
      if (status == 404 || status == 410) {
        return ExitCodes.NOT_FOUND;
      }
      return RetryPolicy.isRetryable(e) ? ExitCodes.SERVER : ExitCodes.FAILURE;
    }
    if (e instanceof ChecksumMismatchError) {
      return ExitCodes.INTEGRITY;
    }
    if (e instanceof NoSuchFileException) {
      return ExitCodes.NOT_FOUND;
    }
    if (e instanceof ServerUnreachableException || RetryPolicy.isRetryable(e)) {
      return ExitCodes.SERVER;
    }
    if (e instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILURE;
  }

  /** One line saying what failed; with {@code verbose}, the whole story. */
  static void report(Throwable e, boolean verbose, PrintWriter err) {
    err.println("farm: " + oneLine(e));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
  }

  /** A failure in a few words, for a line of news: "HTTP 503: ...", "connection reset". */
  static String describe(Throwable e) {
    return e instanceof IOException && !(e instanceof HttpError)
        ? "the connection failed (" + message(e) + ")"
        : message(e);
  }

  /** What failed, in one line, with what to do about it when that is clear. */
  static String oneLine(Throwable e) {
    String line = message(e).replaceAll("\\s*[\\r\\n]+\\s*", " ");
    if (e instanceof HttpError http && http.statusCode() == 401 && !line.contains("admin.key")) {
      line += " (pass a key with --key or FARM_API_KEY: the server's admin key is in its data"
          + " folder, in admin.key, and 'farm keys create --farm NAME' makes more)";
    }
    return line;
  }

  private static String message(Throwable e) {
    if (e instanceof CommandFailure) {
      return text(e); // already in words, whatever its cause
    }
    if (e instanceof NoSuchFileException missing) {
      return "no such file: " + missing.getFile();
    }
    if (e instanceof ServerUnreachableException unreachable) {
      return unreachable.getMessage() + switch (unreachable.reason()) {
        case REFUSED -> "; is 'farm serve' running?";
        case TLS -> unreachable.getMessage().contains("not trusted") ? " (--cacert FILE)" : "";
        default -> "";
      };
    }
    if (e instanceof IOException && !(e instanceof HttpError) && RetryPolicy.isRetryable(e)) {
      Throwable cause = e.getCause();
      return "the connection to the server failed: " + text(e)
          + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
    }
    return text(e);
  }

  private static String text(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
