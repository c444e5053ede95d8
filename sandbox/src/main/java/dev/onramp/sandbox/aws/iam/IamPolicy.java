package dev.onramp.sandbox.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An identity-based IAM policy document, evaluated as IAM does for a single policy: a request is
 * allowed when some {@code Allow} statement matches its action and resource and no {@code Deny}
 * statement does (an explicit deny wins; no match is an implicit deny). Actions match
 * case-insensitively, resources case-sensitively, both with {@code *} and {@code ?} wildcards (IAM
 * User Guide, "Policy evaluation logic" and "IAM JSON policy elements: Resource").
 *
 * <p>Of {@code Condition} only {@code StringEquals} and {@code StringLike} on the resource's tags
 * ({@code aws:ResourceTag/<key>}, and RDS's {@code rds:db-tag/<key>}) are evaluated, as IAM does: a
 * key the resource lacks does not match. A policy with any other condition, or with {@code
 * NotAction}/{@code NotResource}, is refused at load, so the emulator never allows more than the
 * document would.
 */
public final class IamPolicy {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a request fares against the policy. */
  public enum Decision {
    ALLOW,
    /** No statement allows it. */
    IMPLICIT_DENY,
    /** A Deny statement matches it. */
    EXPLICIT_DENY
  }

  /** One test of a Condition block: the resource's tag {@code tagKey} against {@code values}. */
  private record TagCondition(String tagKey, boolean like, List<String> values) {
    boolean holds(Map<String, String> tags) {
      String v = tags.get(tagKey);
      if (v == null) {
        return false;
      }
      return values.stream().anyMatch(x -> like ? wildcard(x).matcher(v).matches() : x.equals(v));
    }
  }

  private record Statement(
      boolean allow,
      List<Pattern> actions,
      List<Pattern> resources,
      List<TagCondition> conditions) {
    boolean matches(String action, String resource, Map<String, String> tags) {
      return actions.stream().anyMatch(p -> p.matcher(action.toLowerCase(Locale.ROOT)).matches())
          && resources.stream().anyMatch(p -> p.matcher(resource).matches())
          && conditions.stream().allMatch(c -> c.holds(tags));
    }
  }

  private final JsonNode document;
  private final List<Statement> statements;
  private final List<String> allowedActions;

  private IamPolicy(JsonNode document, List<Statement> statements, List<String> allowedActions) {
    this.document = document;
    this.statements = statements;
    this.allowedActions = allowedActions;
  }

  public static IamPolicy read(Path file) throws IOException {
    try {
      return parse(Files.readString(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public static IamPolicy parse(String document) {
    JsonNode root;
    try {
      root = JSON.readTree(document);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON policy document: " + e.getMessage(), e);
    }
    JsonNode st = root == null ? null : root.get("Statement");
    if (st == null) {
      throw new IllegalArgumentException("the policy has no Statement");
    }
    List<Statement> out = new ArrayList<>();
    List<String> allowed = new ArrayList<>();
    for (JsonNode s : st.isArray() ? st : List.of(st)) {
      String sid = s.path("Sid").asText("#" + (out.size() + 1));
      String effect = s.path("Effect").asText("");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw new IllegalArgumentException("statement " + sid + ": Effect must be Allow or Deny");
      }
      for (String unsupported : List.of("NotAction", "NotResource", "Principal")) {
        if (s.has(unsupported)) {
          throw new IllegalArgumentException(
              "statement " + sid + ": the emulator does not evaluate " + unsupported);
        }
      }
      List<String> actions = strings(s.get("Action"), sid, "Action");
      List<String> resources = strings(s.get("Resource"), sid, "Resource");
      out.add(
          new Statement(
              effect.equals("Allow"),
              actions.stream().map(a -> wildcard(a.toLowerCase(Locale.ROOT))).toList(),
              resources.stream().map(IamPolicy::wildcard).toList(),
              conditions(s.get("Condition"), sid)));
      if (effect.equals("Allow")) {
        allowed.addAll(actions);
      }
    }
    return new IamPolicy(root, List.copyOf(out), List.copyOf(allowed));
  }

  private static List<TagCondition> conditions(JsonNode block, String sid) {
    List<TagCondition> out = new ArrayList<>();
    if (block == null) {
      return out;
    }
    for (var op : (Iterable<Map.Entry<String, JsonNode>>) block::fields) {
      boolean like = op.getKey().equals("StringLike");
      if (!like && !op.getKey().equals("StringEquals")) {
        throw new IllegalArgumentException(
            "statement " + sid + ": the emulator does not evaluate condition " + op.getKey());
      }
      for (var key : (Iterable<Map.Entry<String, JsonNode>>) op.getValue()::fields) {
        String k = key.getKey();
        String tag = null;
        for (String prefix : List.of("aws:ResourceTag/", "rds:db-tag/")) {
          if (k.regionMatches(true, 0, prefix, 0, prefix.length())) {
            tag = k.substring(prefix.length());
          }
        }
        if (tag == null) {
          throw new IllegalArgumentException(
              "statement " + sid + ": the emulator does not evaluate condition key " + k);
        }
        out.add(new TagCondition(tag, like, strings(key.getValue(), sid, "Condition " + k)));
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode n, String sid, String field) {
    if (n == null || n.isNull()) {
      throw new IllegalArgumentException("statement " + sid + " has no " + field);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : n.isArray() ? n : List.of(n)) {
      if (!v.isTextual() || v.asText().isEmpty()) {
        throw new IllegalArgumentException("statement " + sid + ": " + field + " must be strings");
      }
      out.add(v.asText());
    }
    return out;
  }

  private static Pattern wildcard(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** The decision for {@code action} (e.g. {@code rds:RebootDBInstance}) on one resource ARN. */
  public Decision evaluate(String action, String resource) {
    return evaluate(action, resource, Map.of());
  }

  /** The same, for a resource carrying {@code tags}. */
  public Decision evaluate(String action, String resource, Map<String, String> tags) {
    boolean allowed = false;
    for (Statement s : statements) {
      if (s.matches(action, resource, tags)) {
        if (!s.allow()) {
          return Decision.EXPLICIT_DENY;
        }
        allowed = true;
      }
    }
    return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
  }

  /**
   * This policy with {@code action} taken out of every statement that lists it (a statement left
   * with no action is dropped), as an administrator trimming the role would.
   */
  public IamPolicy without(String action) {
    JsonNode copy = document.deepCopy();
    com.fasterxml.jackson.databind.node.ArrayNode kept = JSON.createArrayNode();
    JsonNode st = copy.get("Statement");
    for (JsonNode s : st.isArray() ? st : List.of(st)) {
      com.fasterxml.jackson.databind.node.ArrayNode actions = JSON.createArrayNode();
      for (JsonNode a : s.get("Action").isArray() ? s.get("Action") : List.of(s.get("Action"))) {
        if (!a.asText().equalsIgnoreCase(action)) {
          actions.add(a);
        }
      }
      if (!actions.isEmpty()) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) s).set("Action", actions);
        kept.add(s);
      }
    }
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).set("Statement", kept);
    return parse(copy.toString());
  }

  /** The action patterns of the Allow statements, as written. */
  public List<String> allowedActions() {
    return allowedActions;
  }
}
