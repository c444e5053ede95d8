package dev.onramp.sandbox.aws.http;

/** A minimal XML writer for Query-protocol responses. */
public final class Xml {
  private final StringBuilder sb = new StringBuilder();

  public Xml open(String name) {
    sb.append('<').append(name).append('>');
    return this;
  }

  public Xml open(String name, String xmlns) {
    sb.append('<').append(name).append(" xmlns=\"").append(xmlns).append("\">");
    return this;
  }

  public Xml close(String name) {
    sb.append("</").append(name).append('>');
    return this;
  }

  /** An element with text; nothing at all when the value is null (absent in AWS terms). */
  public Xml el(String name, Object value) {
    if (value == null) {
      return this;
    }
    sb.append('<').append(name).append('>');
    escape(String.valueOf(value));
    sb.append("</").append(name).append('>');
    return this;
  }

  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> sb.append(c);
      }
    }
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
