package dev.onramp.worker.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${VAR}} references without a default in a worker configuration whose variable is not
 * set (or empty), each with the key it fills and what that key expects (the comment above it).
 * Dropwizard's own substitution would stop at the first with "The environment variable 'X' is not
 * defined", which names neither the key nor what to put there, and lets an empty secret through.
 * Read from the file's text before anything is parsed, started or connected.
 */
public final class RequiredValues {
  /** One missing value: {@code keyPath} as Dropwizard names keys ({@code a.b[0].c}). */
  public record Missing(String keyPath, int line, String variable, String expects) {
    public String describe() {
      return keyPath
          + " (line "
          + line
          + ") needs environment variable "
          + variable
          + ", which is not set"
          + (expects.isEmpty() ? "" : ": " + expects);
    }
  }

  private static final Pattern KEY = Pattern.compile("^( *)(- +)?([A-Za-z0-9_.-]+)\\s*:(.*)$");
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");

  private record Segment(int indent, String name) {}

  private RequiredValues() {}

  public static List<Missing> missing(String yaml, Function<String, String> environment) {
    List<Missing> missing = new ArrayList<>();
    Deque<Segment> path = new ArrayDeque<>();
    Map<String, Integer> listItems = new HashMap<>();
    List<String> comments = new ArrayList<>();
    String[] lines = yaml.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].stripTrailing();
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        comments.clear();
        continue;
      }
      if (trimmed.startsWith("#")) {
        comments.add(trimmed.substring(1).strip());
        continue;
      }
      Matcher key = KEY.matcher(line);
      if (!key.matches()) {
        comments.clear();
        continue;
      }
      int indent = key.group(1).length();
      if (key.group(2) != null) {
        popTo(path, indent);
        String owner = render(path);
        int index = listItems.merge(owner, 1, Integer::sum) - 1;
        path.push(new Segment(indent, "[" + index + "]"));
        indent += key.group(2).length();
      }
      popTo(path, indent);
      path.push(new Segment(indent, key.group(3)));
      Matcher ref = REFERENCE.matcher(key.group(4));
      while (ref.find()) {
        String variable = ref.group(1);
        String value = environment.apply(variable);
        if (ref.group(2) == null && (value == null || value.isBlank())) {
          missing.add(new Missing(render(path), n + 1, variable, String.join(" ", comments)));
        }
      }
      comments.clear();
    }
    return missing;
  }

  private static void popTo(Deque<Segment> path, int indent) {
    while (!path.isEmpty() && path.peek().indent() >= indent) {
      path.pop();
    }
  }

  private static String render(Deque<Segment> path) {
    StringBuilder b = new StringBuilder();
    var it = path.descendingIterator();
    while (it.hasNext()) {
      String name = it.next().name();
      if (b.length() > 0 && !name.startsWith("[")) {
        b.append('.');
      }
      b.append(name);
    }
    return b.toString();
  }
}
