package dev.farmapi.apiclient.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call's parameters, checked and converted as the Python client's generated method does:
 * unknown names, missing required ones, pattern and enum violations are
 * {@link IllegalArgumentException}s; values become strings by the parameter's type
 * ({@link ParamCast}); null values are dropped.
 *
 * @param path values for the path template: String, or List of String for repeated parameters
 * @param query query parameters in the order they were given, a list of values each
 */
record Arguments(Map<String, Object> path, Map<String, List<String>> query) {

  /** Checks {@code given} (in the caller's order) against {@code method}. */
  static Arguments resolve(MethodSpec method, Map<String, Object> given) {
    for (String name : given.keySet()) {
      if (!method.parameters().containsKey(name)) {
        throw new IllegalArgumentException(method.id() + " has no parameter \"" + name
            + "\"; it has " + String.join(", ", method.parameters().keySet()));
      }
    }
    Map<String, Object> present = new LinkedHashMap<>(given);
    present.values().removeIf(v -> v == null);
    for (ParameterSpec p : method.parameters().values()) {
      // Python's workaround for documents that make pageToken required on methods that do not
      // page (drive.changes.watch): it is only enforced when the response has a page token.
      boolean waived = MethodSpec.PAGE_TOKEN_NAMES.contains(p.name())
          && method.responsePageToken() == null;
      if (p.required() && !present.containsKey(p.name()) && !waived) {
        throw new IllegalArgumentException(method.id() + ": missing required parameter \""
            + p.name() + "\"");
      }
    }
    Map<String, Object> path = new LinkedHashMap<>();
    Map<String, List<String>> query = new LinkedHashMap<>();
    present.forEach((name, value) -> {
      ParameterSpec p = method.parameters().get(name);
      List<String> values = values(method, p, value);
      for (String v : values) {
        check(method, p, v);
      }
      if (method.queryParams().contains(name)) {
        query.put(name, values);
      }
      if (method.pathParams().contains(name)) {
        path.put(name, value instanceof Collection ? values : values.get(0));
      }
    });
    return new Arguments(path, query);
  }

  /**
   * Python counts {@code body} and {@code media_body} among a method's parameters, so a method
   * without a request schema or a {@code mediaUpload} rejects them as unknown, before anything else.
   */
  static void checkPayload(MethodSpec method, boolean hasBody, boolean hasMedia) {
    if (hasBody && !method.acceptsBody()) {
      throw new IllegalArgumentException(method.id() + " (" + method.httpMethod()
          + ") takes no body");
    }
    if (hasMedia && method.mediaUpload() == null) {
      throw new IllegalArgumentException(method.id() + " takes no media (no mediaUpload)");
    }
  }

  private static List<String> values(MethodSpec method, ParameterSpec p, Object value) {
    if (value.getClass().isArray()) {
      throw new IllegalArgumentException(method.id() + ": give parameter \"" + p.name()
          + "\" a List, not an array");
    }
    if (!(value instanceof Collection<?> many)) {
      return List.of(ParamCast.cast(value, p.type(), p.name()));
    }
    if (!p.repeated()) {
      // Python would send the list's repr ("['a', 'b']"); nobody means that.
      throw new IllegalArgumentException(method.id() + ": parameter \"" + p.name()
          + "\" is not repeated; give it one value, not " + value);
    }
    List<String> values = new ArrayList<>();
    for (Object v : many) {
      if (v == null) {
        throw new IllegalArgumentException(method.id() + ": parameter \"" + p.name()
            + "\" has a null value in " + value);
      }
      values.add(ParamCast.cast(v, p.type(), p.name()));
    }
    return List.copyOf(values);
  }

  private static void check(MethodSpec method, ParameterSpec p, String value) {
    // re.match: the pattern must match at the start, not necessarily the whole value.
    if (p.pattern() != null && !p.pattern().matcher(value).lookingAt()) {
      throw new IllegalArgumentException(method.id() + ": parameter \"" + p.name() + "\" value \""
          + value + "\" does not match the pattern \"" + p.pattern() + "\"");
    }
    if (!p.enumValues().isEmpty() && !p.enumValues().contains(value)) {
      throw new IllegalArgumentException(method.id() + ": parameter \"" + p.name() + "\" value \""
          + value + "\" is not one of " + p.enumValues());
    }
  }
}
