package dev.farmapi.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.ResumableSession;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code farm uploads}: the pending resumable uploads saved by {@code farm upload}. */
@Command(name = "uploads", mixinStandardHelpOptions = true,
    description = {"List or cancel pending resumable uploads.",
        "'farm upload' saves each resumable upload's session until it completes, and resumes it"
            + " when run again on the same file."},
    subcommands = {UploadsCommand.ListUploads.class, UploadsCommand.CancelUploads.class})
final class UploadsCommand {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** Options both subcommands share. */
  static final class Common {
    @Mixin ConnectionOptions connection;
    @Mixin OutputOptions output;

    @Option(names = "--cache-dir", hidden = true, description = "Folder of saved sessions.")
    Path cacheDir;

    UploadCache cache() {
      return UploadCache.locate(cacheDir);
    }

    String server() {
      return connection.server().toString();
    }
  }

  /** {@code farm uploads list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List the pending uploads to the server: file, bytes done, when started.",
          "DONE is what the server had acknowledged when the session was last saved (after"
              + " every chunk); a resume asks the server, which may hold up to a chunk more."})
  static final class ListUploads implements Callable<Integer> {
    @Mixin Common common;

    @Override
    public Integer call() throws IOException {
      List<UploadCache.Entry> entries = common.cache().of(common.server());
      if (common.output.json) {
        ArrayNode items = JsonOutput.array();
        entries.forEach(e -> items.add(json(e)));
        JsonOutput.print(items, System.out);
      } else if (entries.isEmpty()) {
        System.err.println("No pending uploads to " + common.server());
      } else {
        print(entries);
      }
      return ExitCodes.OK;
    }

    private static void print(List<UploadCache.Entry> entries) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "FILE", "DONE", "STARTED"});
      for (UploadCache.Entry e : entries) {
        long done = e.session().offset();
        String percent = e.size() > 0 ? " (" + done * 100 / e.size() + "%)" : "";
        rows.add(new String[] {e.id(), e.file().toString(),
            Sizes.format(done) + " of " + Sizes.format(e.size()) + percent,
            WHEN.format(e.started())});
      }
      int[] width = new int[3];
      for (String[] row : rows) {
        for (int i = 0; i < width.length; i++) {
          width[i] = Math.max(width[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        System.out.println(String.format(Locale.ROOT, "%-" + width[0] + "s  %-" + width[1]
            + "s  %-" + width[2] + "s  %s", (Object[]) row));
      }
    }

    private static ObjectNode json(UploadCache.Entry e) {
      return JsonOutput.object()
          .put("id", e.id())
          .put("file", e.file().toString())
          .put("size", e.size())
          .put("offset", e.session().offset())
          .put("name", e.name())
          .put("species", e.species())
          .put("mimeType", e.session().mimeType())
          .put("server", e.server())
          .put("started", e.started().toString());
    }
  }

  /** {@code farm uploads cancel FILE|ID} and {@code --all}. */
  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel pending uploads: the server deletes the session and its bytes, and"
          + " the saved session is forgotten.")
  static final class CancelUploads implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(arity = "0..1", paramLabel = "FILE|ID",
        description = "The file, or the ID 'farm uploads list' shows (or its start).")
    String target;

    @Option(names = "--all", description = "Cancel every pending upload to the server.")
    boolean all;

    @Override
    public Integer call() throws IOException {
      if (all == (target != null)) {
        throw new Failures.CommandFailure(ExitCodes.USAGE, "name a FILE or an ID, or pass --all");
      }
      UploadCache cache = common.cache();
      List<UploadCache.Entry> chosen = all ? cache.of(common.server()) : match(cache);
      if (all) {
        cache.cleanTemporaryFiles(Duration.ZERO); // half-written entries of killed runs too
      }
      // Session URIs are capabilities: cancels need no key (and a wrong one would be refused).
      ApiClient client = common.connection.clientBuilder().build();
      ArrayNode done = JsonOutput.array();
      for (UploadCache.Entry e : chosen) {
        String outcome = cancel(client, e.session());
        cache.delete(e.id());
        done.add(JsonOutput.object().put("id", e.id()).put("file", e.file().toString())
            .put("outcome", outcome));
        if (!common.output.json) {
          System.out.println(switch (outcome) {
            case "cancelled" -> "Cancelled the upload of " + e.file() + " (" + e.id() + ")";
            case "complete" -> "The upload of " + e.file() + " (" + e.id() + ") had completed;"
                + " forgot it (delete the animal to remove it)";
            default -> "The server no longer had the upload of " + e.file() + " (" + e.id()
                + "); forgot it";
          });
        }
      }
      if (common.output.json) {
        JsonOutput.print(done, System.out);
      } else if (chosen.isEmpty()) {
        System.err.println("No pending uploads to " + common.server());
      }
      return ExitCodes.OK;
    }

    private List<UploadCache.Entry> match(UploadCache cache) throws IOException {
      List<UploadCache.Entry> entries = cache.of(common.server());
      Path asFile = Path.of(target).toAbsolutePath().normalize();
      List<UploadCache.Entry> byFile = entries.stream()
          .filter(e -> e.file().equals(asFile)).toList();
      if (!byFile.isEmpty()) {
        return byFile; // every saved version of the file
      }
      List<UploadCache.Entry> byId = entries.stream()
          .filter(e -> target.length() >= 4 && e.id().startsWith(target)).toList();
      if (byId.size() > 1) {
        throw new Failures.CommandFailure(ExitCodes.USAGE, "'" + target + "' is the start of"
            + " several upload IDs; give more of it");
      }
      if (byId.isEmpty()) {
        throw new Failures.CommandFailure(ExitCodes.NOT_FOUND, "no pending upload of '" + target
            + "' to " + common.server() + " (see 'farm uploads list')");
      }
      return byId;
    }
  }

  /**
   * Deletes a session on the server: {@code cancelled} (499), {@code gone} (404, 410: expired
   * or cancelled before) or {@code complete} (409: the upload had finished).
   */
  static String cancel(ApiClient client, ResumableSession session) throws IOException {
    try {
      client.request("DELETE", session.sessionUri()).parser(json -> null).build().execute();
      return "cancelled";
    } catch (HttpError e) {
      return switch (e.statusCode()) {
        case 499 -> "cancelled";
        case 404, 410 -> "gone";
        case 409 -> "complete";
        default -> throw e;
      };
    }
  }

  /** Cancels a session that is of no more use, once, ignoring failures: it expires anyway. */
  static void cancelQuietly(ApiClient client, ResumableSession session) {
    try {
      client.request("DELETE", session.sessionUri()).parser(json -> null).build().execute(0);
    } catch (IOException | RuntimeException e) {
      // 499 is the server's "cancelled"; anything else leaves the session to expire
    }
  }
}
