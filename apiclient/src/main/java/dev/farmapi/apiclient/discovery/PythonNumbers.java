package dev.farmapi.apiclient.discovery;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Numbers read and written the way the Python client's {@code int()}, {@code float()} and
 * {@code str(float)} do, so that parameters and {@code maxSize} come out as they would there.
 */
final class PythonNumbers {
  private PythonNumbers() {}

  /**
   * Python's {@code int(text)}: surrounding whitespace, an optional sign, decimal digits (any
   * script's) with single underscores between them.
   *
   * @throws NumberFormatException where Python raises {@code ValueError}
   */
  static BigInteger parseInt(String text) {
    String s = strip(text);
    int i = 0;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    StringBuilder digits = new StringBuilder();
    boolean afterDigit = false;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '_' && afterDigit && i < s.length()) {
        afterDigit = false; // one underscore, and a digit must follow
      } else if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
        digits.append(Character.digit(cp, 10));
        afterDigit = true;
      } else {
        throw new NumberFormatException("invalid literal for int(): '" + text + "'");
      }
    }
    if (digits.length() == 0 || !afterDigit) {
      throw new NumberFormatException("invalid literal for int(): '" + text + "'");
    }
    BigInteger value = new BigInteger(digits.toString());
    return negative ? value.negate() : value;
  }

  /** Python's {@code str(float)}: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
  static String floatToString(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    String digits = exact.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - exact.scale(); // of the first digit
    String sign = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
          + String.format("%02d", Math.abs(exponent));
    }
    String plain = exact.abs().toPlainString();
    return sign + (plain.contains(".") ? plain : plain + ".0");
  }

  /** What Python's {@code str.strip()} removes: its notion of whitespace is wider than Java's. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }
}
