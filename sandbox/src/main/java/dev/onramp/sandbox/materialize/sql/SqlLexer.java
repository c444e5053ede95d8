package dev.onramp.sandbox.materialize.sql;

import dev.onramp.sandbox.materialize.MzSqlException;
import java.util.ArrayList;
import java.util.List;

/** Tokenizes SQL the way Materialize's lexer does, for the subset of SQL the stand-in parses. */
public final class SqlLexer {

  /** Kinds of tokens. */
  public enum Kind {
    WORD,
    QUOTED_IDENT,
    STRING,
    NUMBER,
    PARAMETER,
    SYMBOL,
    EOF
  }

  /** A token; {@code value} is lower-cased for words, unescaped for quoted text. */
  public record Token(Kind kind, String value, int start, int end) {
    public boolean isWord(String w) {
      return kind == Kind.WORD && value.equals(w);
    }

    public boolean isSymbol(String s) {
      return kind == Kind.SYMBOL && value.equals(s);
    }

    /** Describes the token the way Materialize's parser errors do. */
    public String describe() {
      return switch (kind) {
        case WORD ->
            MzStatementParser.isKeyword(value)
                ? value.toUpperCase()
                : "identifier \"" + value + "\"";
        case QUOTED_IDENT -> "identifier \"" + value + "\"";
        case STRING -> "string literal \"" + value + "\"";
        case NUMBER -> "number \"" + value + "\"";
        case PARAMETER -> "parameter \"" + value + "\"";
        case SYMBOL -> "operator \"" + value + "\"";
        case EOF -> "EOF";
      };
    }
  }

  private SqlLexer() {}

  public static List<Token> tokenize(String sql) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          throw MzSqlException.syntax("unterminated multiline comment");
        }
        i = end + 2;
      } else if (c == '\'' || ((c == 'e' || c == 'E') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
        boolean escapes = c != '\'';
        int start = i;
        i += escapes ? 2 : 1;
        StringBuilder sb = new StringBuilder();
        while (true) {
          if (i >= n) {
            throw MzSqlException.syntax("unterminated quoted string");
          }
          char d = sql.charAt(i);
          if (d == '\'') {
            if (i + 1 < n && sql.charAt(i + 1) == '\'') {
              sb.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (escapes && d == '\\' && i + 1 < n) {
            char e = sql.charAt(i + 1);
            sb.append(
                switch (e) {
                  case 'n' -> '\n';
                  case 't' -> '\t';
                  case 'r' -> '\r';
                  default -> e;
                });
            i += 2;
            continue;
          }
          sb.append(d);
          i++;
        }
        tokens.add(new Token(Kind.STRING, sb.toString(), start, i));
      } else if (c == '"') {
        int start = i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
          if (i >= n) {
            throw MzSqlException.syntax("unterminated quoted identifier");
          }
          char d = sql.charAt(i);
          if (d == '"') {
            if (i + 1 < n && sql.charAt(i + 1) == '"') {
              sb.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          sb.append(d);
          i++;
        }
        tokens.add(new Token(Kind.QUOTED_IDENT, sb.toString(), start, i));
      } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
        int start = i++;
        while (i < n && Character.isDigit(sql.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.PARAMETER, sql.substring(start, i), start, i));
      } else if (c == '$') {
        int tagEnd = sql.indexOf('$', i + 1);
        String tag = tagEnd < 0 ? null : sql.substring(i, tagEnd + 1);
        if (tag == null || !tag.matches("\\$[A-Za-z_0-9]*\\$")) {
          tokens.add(new Token(Kind.SYMBOL, "$", i, i + 1));
          i++;
          continue;
        }
        int close = sql.indexOf(tag, tagEnd + 1);
        if (close < 0) {
          throw MzSqlException.syntax("unterminated dollar-quoted string");
        }
        tokens.add(
            new Token(Kind.STRING, sql.substring(tagEnd + 1, close), i, close + tag.length()));
        i = close + tag.length();
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(sql.charAt(i))
                || sql.charAt(i) == '_'
                || sql.charAt(i) == '$')) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, sql.substring(start, i).toLowerCase(), start, i));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, sql.substring(start, i), start, i));
      } else {
        String two = i + 1 < n ? sql.substring(i, i + 2) : "";
        if (two.equals("::")
            || two.equals("<>")
            || two.equals("<=")
            || two.equals(">=")
            || two.equals("!=")) {
          tokens.add(new Token(Kind.SYMBOL, two, i, i + 2));
          i += 2;
        } else {
          tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i, i + 1));
          i++;
        }
      }
    }
    tokens.add(new Token(Kind.EOF, "", n, n));
    return tokens;
  }

  /**
   * Splits a simple-query string into statements at top-level semicolons (outside quotes, comments
   * and dollar quotes), dropping empty ones.
   */
  public static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int j = i + 1;
        while (j < n) {
          if (sql.charAt(j) == c) {
            if (j + 1 < n && sql.charAt(j + 1) == c) {
              j += 2;
              continue;
            }
            break;
          }
          if (c == '\''
              && sql.charAt(j) == '\\'
              && i > 0
              && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')) {
            j++;
          }
          j++;
        }
        i = j + 1;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '$') {
        int tagEnd = sql.indexOf('$', i + 1);
        String tag = tagEnd < 0 ? null : sql.substring(i, tagEnd + 1);
        if (tag != null && tag.matches("\\$[A-Za-z_][A-Za-z_0-9]*\\$|\\$\\$")) {
          int close = sql.indexOf(tag, tagEnd + 1);
          i = close < 0 ? n : close + tag.length();
        } else {
          i++;
        }
      } else if (c == ';') {
        addIfNotBlank(out, sql.substring(start, i));
        start = ++i;
      } else {
        i++;
      }
    }
    addIfNotBlank(out, sql.substring(start));
    return out;
  }

  private static void addIfNotBlank(List<String> out, String s) {
    if (!s.isBlank()) {
      out.add(s.strip());
    }
  }
}
