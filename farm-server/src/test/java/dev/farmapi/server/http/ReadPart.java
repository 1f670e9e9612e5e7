package dev.farmapi.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A part as the reader delivered it, with its data read to the end; compares by content. */
record ReadPart(Map<String, String> headers, byte[] data) {
  /** Reads every part of {@code body}, each part's data in full. */
  static List<ReadPart> readAll(InputStream body, String boundary) throws IOException {
    MultipartReader reader = new MultipartReader(body, boundary);
    List<ReadPart> parts = new ArrayList<>();
    for (MultipartReader.Part part; (part = reader.nextPart()) != null; ) {
      parts.add(new ReadPart(part.headers(), reader.partBody().readAllBytes()));
    }
    return parts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReadPart other
        && headers.equals(other.headers)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return headers.hashCode() * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ReadPart" + headers + Arrays.toString(data);
  }
}
