package dev.farmapi.bench.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * curl as the floor of what a client must spend: a resumable session initiated with one POST,
 * then the whole file in one PUT ({@code -T}); and small files as multipart/related POSTs of
 * bodies built beforehand, all in ONE curl invocation (a config file of {@code next}-separated
 * requests), so that curl keeps one connection and sends them one after the other. Each method
 * returns curl's figures with, as stdout, a JSON array of the server's answers.
 */
final class CurlClient {
  private static final String BOUNDARY = "bench-boundary-5b1f";
  private final Timed timed;
  private final Path scratch;

  CurlClient(Timed timed, Path scratch) {
    this.timed = timed;
    this.scratch = scratch;
  }

  ProcStats resumablePut(Endpoint s, Source src) throws IOException, InterruptedException {
    ProcStats init = timed.run(List.of("curl", "-sS", "--fail-with-body", "-o", "/dev/null",
        "-D", "-", "-X", "POST",
        "-H", "Authorization: Bearer " + s.key(),
        "-H", "Content-Type: application/json; charset=UTF-8",
        "-H", "X-Upload-Content-Type: application/octet-stream",
        "-H", "X-Upload-Content-Length: " + src.size(),
        "--data-binary", "{\"name\":\"bench\"}",
        s.root() + "upload/farm/v1/animals?uploadType=resumable"), null, 120);
    String location = null;
    for (String line : init.stdout().split("\r?\n")) {
      if (line.regionMatches(true, 0, "Location:", 0, 9)) {
        location = line.substring(9).strip();
      }
    }
    if (init.exit() != 0 || location == null) {
      return init;
    }
    ProcStats put = timed.run(List.of("curl", "-sS", "--fail-with-body", "-X", "PUT",
        "-T", src.path().toString(),
        "-H", "Authorization: Bearer " + s.key(),
        "-H", "Content-Type: application/octet-stream",
        "-H", "Content-Range: bytes 0-" + (src.size() - 1) + "/" + src.size(),
        location), null, 1800);
    ProcStats both = init.then(put);
    return new ProcStats(both.wall(), both.user(), both.sys(), both.maxRssKiB(), both.exit(),
        "[" + put.stdout().strip() + "]", both.stderr());
  }

  ProcStats multipartSequence(ServerProcess s, List<Source> files)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "curl-small");
    try {
      StringBuilder config = new StringBuilder("silent\nshow-error\n");
      List<Path> answers = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        Path body = dir.resolve("body" + i);
        writeMultipart(body, "{\"name\":\"small-" + i + "\"}", files.get(i).path());
        Path answer = dir.resolve("answer" + i);
        answers.add(answer);
        if (i > 0) {
          config.append("next\n");
        }
        config.append("url = \"").append(s.root())
            .append("upload/farm/v1/animals?uploadType=multipart\"\n")
            .append("header = \"Authorization: Bearer ").append(s.key()).append("\"\n")
            .append("header = \"Content-Type: multipart/related; boundary=").append(BOUNDARY)
            .append("\"\n")
            .append("data-binary = \"@").append(body).append("\"\n")
            .append("output = \"").append(answer).append("\"\n");
      }
      Path cfg = Files.writeString(dir.resolve("curl.cfg"), config);
      ProcStats p = timed.run(List.of("curl", "-K", cfg.toString()), null, 1800);
      StringJoiner all = new StringJoiner(",", "[", "]");
      for (Path a : answers) {
        all.add(Files.exists(a) ? Files.readString(a).strip() : "{}");
      }
      return new ProcStats(p.wall(), p.user(), p.sys(), p.maxRssKiB(), p.exit(),
          all.toString(), p.stderr());
    } finally {
      try (var walk = Files.list(dir)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  private static void writeMultipart(Path body, String metadata, Path media) throws IOException {
    try (OutputStream out = Files.newOutputStream(body)) {
      out.write(("--" + BOUNDARY + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
          + metadata + "\r\n--" + BOUNDARY
          + "\r\nContent-Type: application/octet-stream\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      out.write(Files.readAllBytes(media));
      out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
