package dev.onramp.sandbox.aws.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The form parameters of a Query-protocol request ({@code Action=...&Version=...&...}), with the
 * list conventions of the two Query dialects:
 *
 * <ul>
 *   <li>RDS (awsQuery): lists are {@code Prefix.<member>.<n>}, e.g. {@code
 *       Parameters.Parameter.1.ParameterName}; an empty list is {@code Prefix=}.
 *   <li>EC2 (ec2Query): lists are always flattened, {@code Prefix.<n>}, e.g. {@code GroupId.1}.
 * </ul>
 */
public final class QueryParams {
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  public static QueryParams parse(String... encodedParts) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String encoded : encodedParts) {
      if (encoded == null || encoded.isEmpty()) {
        continue;
      }
      for (String pair : encoded.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        try {
          values.put(
              URLDecoder.decode(k, StandardCharsets.UTF_8),
              URLDecoder.decode(v, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw AwsException.badRequest("MalformedQueryString", "Malformed query string");
        }
      }
    }
    return new QueryParams(values);
  }

  public static QueryParams of(Map<String, String> values) {
    return new QueryParams(new LinkedHashMap<>(values));
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String getOrNull(String name) {
    return values.get(name);
  }

  /** A required, non-empty parameter, else AWS's {@code MissingParameter}. */
  public String required(String name) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      throw AwsException.missingParameter(name);
    }
    return v;
  }

  public Optional<Integer> integer(String name) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      throw AwsException.invalidParameterValue(
          "Invalid value '" + v + "' for " + name + ": must be an integer.");
    }
  }

  public Optional<Boolean> bool(String name) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      return Optional.empty();
    }
    if (v.equalsIgnoreCase("true")) {
      return Optional.of(true);
    }
    if (v.equalsIgnoreCase("false")) {
      return Optional.of(false);
    }
    throw AwsException.invalidParameterValue(
        "Invalid value '" + v + "' for " + name + ": must be true or false.");
  }

  /** Scalar list items {@code prefix.1}, {@code prefix.2}, ... in index order. */
  public List<String> list(String prefix) {
    TreeMap<Integer, String> items = new TreeMap<>();
    String p = prefix + ".";
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().startsWith(p)) {
        String rest = e.getKey().substring(p.length());
        if (rest.chars().allMatch(Character::isDigit) && !rest.isEmpty()) {
          items.put(Integer.parseInt(rest), e.getValue());
        }
      }
    }
    return new ArrayList<>(items.values());
  }

  /**
   * Structure list items {@code prefix.N.Field}: one {@link QueryParams} per N, in index order,
   * holding that item's fields without the prefix.
   */
  public List<QueryParams> structs(String prefix) {
    TreeMap<Integer, Map<String, String>> items = new TreeMap<>();
    String p = prefix + ".";
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!e.getKey().startsWith(p)) {
        continue;
      }
      String rest = e.getKey().substring(p.length());
      int dot = rest.indexOf('.');
      if (dot <= 0) {
        continue;
      }
      String idx = rest.substring(0, dot);
      if (!idx.chars().allMatch(Character::isDigit)) {
        continue;
      }
      items
          .computeIfAbsent(Integer.parseInt(idx), k -> new LinkedHashMap<>())
          .put(rest.substring(dot + 1), e.getValue());
    }
    List<QueryParams> out = new ArrayList<>();
    items.values().forEach(m -> out.add(new QueryParams(m)));
    return out;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }
}
