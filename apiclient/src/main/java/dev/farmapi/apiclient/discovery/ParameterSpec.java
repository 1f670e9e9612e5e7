package dev.farmapi.apiclient.discovery;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One parameter of a method, as its discovery document declares it.
 *
 * @param location "path", "query", or anything else (accepted but not sent, as in Python)
 * @param enumValues the allowed values, empty when any is allowed
 * @param pattern the regular expression values must match from their start, or null
 */
record ParameterSpec(String name, String type, String location, boolean required,
    boolean repeated, List<String> enumValues, Pattern pattern) {

  /** The parameters every method takes although no document lists them (Python's list). */
  static final List<String> STACK_QUERY_PARAMETERS = List.of("trace", "pp", "userip", "strict");

  static ParameterSpec stackQuery(String name) {
    return new ParameterSpec(name, "string", "query", false, false, List.of(), null);
  }
}
