package dev.onramp.workflows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parsing and quoting of PostgreSQL / Materialize identifiers, so that a name written in a request
 * is read the way PostgreSQL reads it: an unquoted name is folded to lower case ({@code Shop} is
 * {@code shop}; PostgreSQL folds only ASCII letters, see "Identifiers and Key Words" in its
 * manual), a quoted name keeps its case and characters once the quotes are removed and {@code ""}
 * is undone ({@code "Shop ""A"""} is {@code Shop "A"}). The result is the identifier's value, which
 * {@link #quote} turns back into SQL exactly once where it enters a statement. Control characters
 * and NUL are refused in either form (PostgreSQL cannot store NUL, and a control character in a
 * name is never intended), and the value is at most 63 bytes, PostgreSQL's NAMEDATALEN - 1, beyond
 * which PostgreSQL silently truncates.
 */
public final class SqlIdentifiers {
  public static final int MAX_IDENTIFIER_BYTES = 63;

  /** How much of a bad value a message repeats. */
  static final int SHOWN_CHARACTERS = 100;

  // PostgreSQL: a letter (any non-ASCII character counts as one), or an underscore, then letters,
  // digits, underscores and dollar signs.
  private static final Pattern UNQUOTED =
      Pattern.compile("[A-Za-z_\\x{80}-\\x{10FFFF}][A-Za-z0-9_$\\x{80}-\\x{10FFFF}]*");

  private SqlIdentifiers() {}

  /** Double-quotes an identifier value for SQL, doubling any quote inside it. */
  public static String quote(String value) {
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  /** Parses one identifier in SQL syntax and returns its value. */
  public static String parseIdentifier(String text) {
    List<String> parts = split(text);
    if (parts.size() != 1) {
      throw new IllegalArgumentException(
          "'" + printable(text) + "' must be one identifier, not a dotted name");
    }
    return parts.get(0);
  }

  /** {@link #parseIdentifier}, or null for null. */
  public static String parseOptional(String text) {
    return text == null ? null : parseIdentifier(text);
  }

  /** Parses {@code name} or {@code schema.name}; the schema defaults to {@code defaultSchema}. */
  public static QualifiedName parseQualified(String text, String defaultSchema) {
    List<String> parts = split(text);
    return switch (parts.size()) {
      case 1 -> new QualifiedName(defaultSchema, parts.get(0));
      case 2 -> new QualifiedName(parts.get(0), parts.get(1));
      default ->
          throw new IllegalArgumentException(
              "'" + printable(text) + "' has more than two parts; write table or schema.table");
    };
  }

  /** The first control character (or NUL) in {@code text} as {@code U+0000}, or null if none. */
  public static String firstControlCharacter(String text) {
    if (text == null) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        return String.format("U+%04X", (int) c);
      }
    }
    return null;
  }

  /**
   * The text as it may appear in a message: control characters shown as {@code \\u0000}, and
   * anything past {@value #SHOWN_CHARACTERS} characters cut (a megabyte of name is not echoed).
   */
  public static String printable(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      if (i == SHOWN_CHARACTERS) {
        sb.append("… (").append(text.length()).append(" characters)");
        break;
      }
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static List<String> split(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("is empty");
    }
    String control = firstControlCharacter(text);
    if (control != null) {
      throw new IllegalArgumentException(
          "'"
              + printable(text)
              + "' contains the control character "
              + control
              + "; names may not contain control characters or NUL");
    }
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (true) {
      StringBuilder value = new StringBuilder();
      if (i < text.length() && text.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < text.length()) {
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < text.length() && text.charAt(i) == '"') {
              value.append('"');
              i++;
            } else {
              closed = true;
              break;
            }
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          throw new IllegalArgumentException(
              "'" + printable(text) + "' has an unterminated quoted identifier");
        }
        if (value.length() == 0) {
          throw new IllegalArgumentException(
              "'" + printable(text) + "' has an empty quoted identifier");
        }
      } else {
        int start = i;
        while (i < text.length() && text.charAt(i) != '.') {
          i++;
        }
        String word = text.substring(start, i);
        if (!UNQUOTED.matcher(word).matches()) {
          throw new IllegalArgumentException(
              "'"
                  + printable(text)
                  + "' is not a plain identifier (a letter or _, then letters, digits, _ or $);"
                  + " names with spaces, quotes, dots or other punctuation must be double-quoted,"
                  + " with inner quotes doubled");
        }
        value.append(foldAsciiToLowerCase(word));
      }
      if (value.toString().getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
        throw new IllegalArgumentException(
            "'" + printable(text) + "' is longer than " + MAX_IDENTIFIER_BYTES + " bytes");
      }
      parts.add(value.toString());
      if (i == text.length()) {
        return parts;
      }
      if (text.charAt(i) != '.') {
        throw new IllegalArgumentException(
            "'"
                + printable(text)
                + "' has text after a quoted identifier; separate parts with '.'");
      }
      i++;
      if (i == text.length()) {
        throw new IllegalArgumentException("'" + printable(text) + "' ends with '.'");
      }
    }
  }

  /** PostgreSQL's downcase_identifier on a UTF-8 database: A-Z only, other letters as written. */
  private static String foldAsciiToLowerCase(String word) {
    StringBuilder sb = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return sb.toString();
  }
}
