package dev.farmapi.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes multipart/related bodies for tests, in either framing, with the optional extras a
 * reader must ignore (preamble, transport padding, epilogue). Deliberately naive: it does not
 * check that the data avoids the boundary; {@link #conflicts} tells a test when it does not.
 */
final class MultipartEncoder {
  static final String CRLF = "\r\n";
  static final String LF = "\n";

  private final String boundary;
  private final String lineBreak;
  private final List<byte[]> parts = new ArrayList<>();
  private String preamble = "";
  private String padding = "";
  private String epilogue;

  MultipartEncoder(String boundary, String lineBreak) {
    this.boundary = boundary;
    this.lineBreak = lineBreak;
    this.epilogue = lineBreak; // what Python's email generator writes after the close delimiter
  }

  MultipartEncoder preamble(String text) {
    this.preamble = text;
    return this;
  }

  MultipartEncoder padding(String spacesAndTabs) {
    this.padding = spacesAndTabs;
    return this;
  }

  MultipartEncoder epilogue(String text) {
    this.epilogue = text;
    return this;
  }

  MultipartEncoder part(String contentType, byte[] data) {
    return rawPart(List.of("Content-Type: " + contentType), data);
  }

  MultipartEncoder part(String contentType, String data) {
    return part(contentType, data.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A part with exactly these header lines (none is fine), then an empty line and the data. */
  MultipartEncoder rawPart(List<String> headerLines, byte[] data) {
    ByteArrayOutputStream part = new ByteArrayOutputStream();
    for (String line : headerLines) {
      write(part, line + lineBreak);
    }
    write(part, lineBreak);
    part.writeBytes(data);
    parts.add(part.toByteArray());
    return this;
  }

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, preamble);
    for (int i = 0; i < parts.size(); i++) {
      write(out, (i == 0 ? "" : lineBreak) + "--" + boundary + padding + lineBreak);
      out.writeBytes(parts.get(i));
    }
    write(out, (parts.isEmpty() ? "" : lineBreak) + "--" + boundary + "--" + epilogue);
    return out.toByteArray();
  }

  /**
   * Whether {@code data}, followed by this framing's line break, holds something a reader must
   * take for a delimiter: the line break, {@code --boundary}, then {@code --} or spaces/tabs and
   * a line break (or a run of padding too long to look past). Also at the very start, where the
   * empty line after the headers may serve as the delimiter's line break. Written without the
   * reader's streaming tricks, as an independent oracle.
   */
  static boolean conflicts(byte[] data, String boundary, String lineBreak) {
    String text = new String(data, StandardCharsets.ISO_8859_1) + lineBreak;
    String dashBoundary = "--" + boundary;
    if (isDelimiterAt(text, 0, dashBoundary, lineBreak)) {
      return true;
    }
    for (int i = text.indexOf(lineBreak + dashBoundary); i >= 0;
        i = text.indexOf(lineBreak + dashBoundary, i + 1)) {
      if (isDelimiterAt(text, i + lineBreak.length(), dashBoundary, lineBreak)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDelimiterAt(String text, int at, String dashBoundary, String lineBreak) {
    if (!text.startsWith(dashBoundary, at)) {
      return false;
    }
    int j = at + dashBoundary.length();
    if (text.startsWith("--", j)) {
      return true;
    }
    int paddingStart = j;
    while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
      j++;
    }
    return j - paddingStart > MultipartScanner.MAX_PADDING || text.startsWith(lineBreak, j);
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
