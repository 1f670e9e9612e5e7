package dev.farmapi.apiclient.discovery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RFC 6570 URI template as the Python client expands method paths (through the
 * {@code uritemplate} package): {@code {id}} percent-encodes every reserved character, so a value
 * cannot add path segments or a query; {@code {+name}} keeps reserved characters. Values are
 * strings or lists of strings (repeated parameters). Like that package, {@code %} is always
 * encoded, even in {@code {+name}}.
 */
final class UriTemplate {
  private static final Pattern EXPRESSION = Pattern.compile("\\{([^}]+)}");
  /** How the Python client finds path parameters in a template: any such run inside braces. */
  private static final Pattern VARNAME = Pattern.compile("[a-zA-Z0-9_-]+");

  private final String template;
  private final Map<String, Expression> expressions = new java.util.HashMap<>();

  /** @throws IllegalArgumentException for a malformed expression, e.g. a non-numeric prefix */
  UriTemplate(String template) {
    this.template = template;
    Matcher m = EXPRESSION.matcher(template);
    while (m.find()) {
      expressions.computeIfAbsent(m.group(1), Expression::new);
    }
  }

  /** Names the Python client treats as path parameters: every identifier inside braces. */
  static Set<String> pathNames(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = Pattern.compile("\\{[^}]*}").matcher(template);
    while (m.find()) {
      Matcher name = VARNAME.matcher(m.group());
      while (name.find()) {
        names.add(name.group());
      }
    }
    return names;
  }

  /** Expands with {@code values} (String or List of String); a missing value expands to nothing. */
  String expand(Map<String, Object> values) {
    return EXPRESSION.matcher(template).replaceAll(
        m -> Matcher.quoteReplacement(expressions.get(m.group(1)).expand(values)));
  }

  /** One {@code {...}}: an operator and comma-separated variables. */
  private static final class Expression {
    private static final String OPERATORS = "+#./;?&|!@";
    private static final String RESERVED = ":/?#[]@!$&'()*+,;=";

    private final char op; // 0 for none
    private final String start;
    private final String join;
    private final String safe;
    private final List<Variable> variables = new ArrayList<>();

    Expression(String text) {
      op = OPERATORS.indexOf(text.charAt(0)) >= 0 ? text.charAt(0) : 0;
      String list = op == 0 ? text : text.substring(1);
      String o = op == 0 ? "" : String.valueOf(op);
      start = op == '+' ? "" : o;
      join = op == '?' ? "&" : op == 0 || op == '+' || op == '#' ? "," : o;
      safe = op == '+' || op == '#' ? RESERVED : "";
      for (String v : list.split(",", -1)) {
        variables.add(Variable.parse(v));
      }
    }

    String expand(Map<String, Object> values) {
      List<String> parts = new ArrayList<>();
      for (Variable v : variables) {
        Object value = values.get(v.name);
        if ((value == null || value instanceof List<?> l && l.isEmpty()) && v.defaultValue != null) {
          value = v.defaultValue;
        }
        if (value == null) {
          continue;
        }
        String part = switch (op) {
          case '/', '.' -> labelOrPath(v, value);
          case '?', '&' -> query(v, value);
          case ';' -> semicolon(v, value);
          default -> plain(v, value);
        };
        if (part != null) {
          parts.add(part);
        }
      }
      return parts.isEmpty() ? "" : start + String.join(join, parts);
    }

    private String plain(Variable v, Object value) {
      return value instanceof List<?> list ? quoteAll(list, ",") : quote(v.prefixed((String) value));
    }

    private String labelOrPath(Variable v, Object value) {
      if (value instanceof List<?> list) {
        return list.isEmpty() ? null : quoteAll(list, v.explode ? join : ",");
      }
      return quote(v.prefixed((String) value));
    }

    private String query(Variable v, Object value) {
      if (value instanceof List<?> list) {
        if (list.isEmpty()) {
          return null;
        }
        return v.explode ? v.name + "=" + quoteAll(list, join + v.name + "=")
            : v.name + "=" + quoteAll(list, ",");
      }
      String s = (String) value;
      return s.isEmpty() ? v.name + "=" : v.name + "=" + quote(v.prefixed(s));
    }

    private String semicolon(Variable v, Object value) {
      if (value instanceof List<?> list) {
        if (v.explode) {
          return list.isEmpty() ? null : v.name + "=" + quoteAll(list, join + v.name + "=");
        }
        return v.name + "=" + quoteAll(list, ",");
      }
      String s = v.prefixed((String) value);
      return s.isEmpty() ? v.name : v.name + "=" + quote(s);
    }

    private String quoteAll(List<?> list, String separator) {
      List<String> quoted = new ArrayList<>();
      for (Object item : list) {
        quoted.add(quote(String.valueOf(item)));
      }
      return String.join(separator, quoted);
    }

    private String quote(String s) {
      return Encoding.quote(s, safe);
    }
  }

  /** {@code name}, {@code name*} (explode), {@code name:3} (prefix), {@code name=default}. */
  private record Variable(String name, boolean explode, int prefix, String defaultValue) {
    static Variable parse(String text) {
      String name = text;
      String defaultValue = null;
      int eq = text.indexOf('=');
      if (eq >= 0) {
        name = text.substring(0, eq);
        defaultValue = text.substring(eq + 1).isEmpty() ? null : text.substring(eq + 1);
      }
      boolean explode = name.endsWith("*");
      if (explode) {
        name = name.substring(0, name.length() - 1);
      }
      int prefix = 0;
      int colon = name.indexOf(':');
      if (colon >= 0) {
        try {
          prefix = PythonNumbers.parseInt(name.substring(colon + 1)).intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
          throw new IllegalArgumentException("bad prefix in URI template variable {" + text + "}");
        }
        name = name.substring(0, colon);
      }
      return new Variable(name, explode, prefix, defaultValue);
    }

    /** The first {@code prefix} characters, as Python's {@code value[:prefix] if prefix}. */
    String prefixed(String value) {
      if (prefix == 0) {
        return value;
      }
      int count = value.codePointCount(0, value.length());
      int end = prefix > 0
          ? value.offsetByCodePoints(0, Math.min(prefix, count))
          : value.offsetByCodePoints(0, Math.max(0, count + prefix));
      return value.substring(0, end);
    }
  }
}
