package dev.onramp.workflows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parsing and quoting of PostgreSQL / Materialize identifiers. An unquoted identifier must be a
 * plain lower-case name (PostgreSQL folds unquoted names to lower case; we refuse rather than fold
 * so that what a person writes is what gets replicated). Anything else (upper case, spaces, quotes,
 * semicolons) must be written as a quoted identifier with inner quotes doubled. Either way the
 * value is at most 63 bytes, PostgreSQL's NAMEDATALEN - 1, beyond which PostgreSQL silently
 * truncates.
 */
public final class SqlIdentifiers {
  public static final int MAX_IDENTIFIER_BYTES = 63;
  private static final Pattern UNQUOTED = Pattern.compile("[a-z_][a-z0-9_$]*");

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
          "'" + text + "' must be one identifier, not a dotted name");
    }
    return parts.get(0);
  }

  /** Parses {@code name} or {@code schema.name}; the schema defaults to {@code defaultSchema}. */
  public static QualifiedName parseQualified(String text, String defaultSchema) {
    List<String> parts = split(text);
    return switch (parts.size()) {
      case 1 -> new QualifiedName(defaultSchema, parts.get(0));
      case 2 -> new QualifiedName(parts.get(0), parts.get(1));
      default ->
          throw new IllegalArgumentException(
              "'" + text + "' has more than two parts; write table or schema.table");
    };
  }

  private static List<String> split(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("is empty");
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
              "'" + text + "' has an unterminated quoted identifier");
        }
        if (value.length() == 0) {
          throw new IllegalArgumentException("'" + text + "' has an empty quoted identifier");
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
                  + text
                  + "' is not a plain lower-case identifier; names with upper case, spaces,"
                  + " quotes or semicolons must be double-quoted, with inner quotes doubled");
        }
        value.append(word);
      }
      if (value.toString().getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
        throw new IllegalArgumentException(
            "'" + text + "' is longer than " + MAX_IDENTIFIER_BYTES + " bytes");
      }
      parts.add(value.toString());
      if (i == text.length()) {
        return parts;
      }
      if (text.charAt(i) != '.') {
        throw new IllegalArgumentException(
            "'" + text + "' has text after a quoted identifier; separate parts with '.'");
      }
      i++;
      if (i == text.length()) {
        throw new IllegalArgumentException("'" + text + "' ends with '.'");
      }
    }
  }
}
