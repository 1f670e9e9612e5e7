package dev.farmapi.apiclient.discovery;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parameter value as the string that goes on the wire, by the parameter's JSON schema type, as
 * Python's {@code _cast}: integers as {@code str(int(v))} (so 2.9 is "2"), numbers as
 * {@code str(float(v))} ("2.0", "1e+16"), booleans as "true"/"false", anything else as its
 * string form. Two deviations, where Python's result is surely not what was meant: a string is a
 * boolean only if it reads "true" or "false" (Python makes "false" true), and a Java
 * {@code Boolean} given to a string parameter is "true", not Python's "True".
 */
final class ParamCast {
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(\\d(_?\\d)*(\\.(\\d(_?\\d)*)?)?|\\.\\d(_?\\d)*)([eE][+-]?\\d(_?\\d)*)?");
  private static final Pattern SPECIAL = Pattern.compile("[+-]?(inf|infinity|nan)");

  private ParamCast() {}

  static String cast(Object value, String type, String name) {
    try {
      return switch (type) {
        case "integer" -> integer(value).toString();
        case "number" -> PythonNumbers.floatToString(number(value));
        case "boolean" -> Boolean.toString(bool(value));
        default -> value instanceof CharSequence s ? s.toString() : String.valueOf(value);
      };
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException("parameter \"" + name + "\" is of type " + type
          + " and " + value + " is not one (" + e.getMessage() + ")", e);
    }
  }

  private static BigInteger integer(Object value) {
    if (value instanceof BigInteger b) {
      return b;
    }
    if (value instanceof BigDecimal d) {
      return d.toBigInteger();
    }
    if (value instanceof Double || value instanceof Float) {
      return new BigDecimal(((Number) value).doubleValue()).toBigInteger(); // truncates, as int()
    }
    if (value instanceof Number n) {
      return BigInteger.valueOf(n.longValue());
    }
    if (value instanceof Boolean b) {
      return b ? BigInteger.ONE : BigInteger.ZERO;
    }
    if (value instanceof CharSequence s) {
      return PythonNumbers.parseInt(s.toString());
    }
    throw new IllegalArgumentException("not a number");
  }

  private static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof CharSequence s) {
      String text = PythonNumbers.strip(s.toString()).toLowerCase(Locale.ROOT);
      if (SPECIAL.matcher(text).matches()) {
        double d = text.endsWith("nan") ? Double.NaN : Double.POSITIVE_INFINITY;
        return text.startsWith("-") ? -d : d;
      }
      if (FLOAT.matcher(text).matches()) {
        return Double.parseDouble(text.replace("_", ""));
      }
    }
    throw new IllegalArgumentException("not a number");
  }

  private static boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Double || value instanceof Float) {
      return ((Number) value).doubleValue() != 0; // NaN is true, as in Python
    }
    if (value instanceof Number n) {
      return new BigDecimal(n.toString()).signum() != 0;
    }
    if (value instanceof CharSequence s && s.toString().matches("(?i)true|false")) {
      return Boolean.parseBoolean(s.toString());
    }
    throw new IllegalArgumentException("neither true nor false");
  }
}
