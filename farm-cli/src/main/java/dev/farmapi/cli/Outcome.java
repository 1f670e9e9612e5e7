package dev.farmapi.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What became of one file of a command over many ({@code farm upload PATH...}, {@code farm
 * download ID...}).
 *
 * @param name how the file is named in messages (a path, an id)
 * @param status done, skipped (already there, unchanged) or failed
 * @param json the object {@code --json} prints for it, one per line
 * @param line the line of text printed for it on stdout; null for a failure
 * @param failure why it failed, or null
 */
record Outcome(String name, Status status, ObjectNode json, String line, Throwable failure) {

  /** The three ends of a file. */
  enum Status { DONE, SKIPPED, FAILED }

  static Outcome failed(String name, ObjectNode json, Throwable failure) {
    json.put("status", "failed").put("error", Failures.oneLine(FileUpload.cause(failure)));
    return new Outcome(name, Status.FAILED, json, null, failure);
  }
}
