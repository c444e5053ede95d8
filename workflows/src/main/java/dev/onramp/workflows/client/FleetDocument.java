package dev.onramp.workflows.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onramp.workflows.InvalidRequestException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fleet as a person writes it (a YAML file for {@code onramp start --fleet}, JSON for {@code POST
 * /fleets}): {@code name}, {@code limits}, {@code defaults} (any onboarding-request field, for
 * every database that leaves it out) and {@code databases}. {@link #expand} turns it into the shape
 * of {@link dev.onramp.workflows.FleetRequest}: each database with the defaults merged in (objects
 * merge field by field, the database's value wins; lists and values replace). Each door then reads
 * that tree with its own mapper, which refuses unknown fields naming the path ({@code
 * databases[3].tabels}).
 */
public final class FleetDocument {
  static final Set<String> FIELDS =
      Set.of("name", "limits", "defaults", "databases", "historyEventsPerRun");

  private FleetDocument() {}

  public static JsonNode expand(JsonNode document) {
    if (document == null || document.isMissingNode() || document.isNull()) {
      throw new InvalidRequestException(List.of("fleet: is empty; see examples/fleet.yaml"));
    }
    if (!document.isObject()) {
      throw new InvalidRequestException(
          List.of("fleet: is not a mapping of name, limits, defaults and databases"));
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<String> names = document.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        problems.add(
            "unknown field '" + name + "'; known fields: " + FIELDS.stream().sorted().toList());
      }
    }
    JsonNode defaults = document.path("defaults");
    if (!defaults.isMissingNode() && !defaults.isNull() && !defaults.isObject()) {
      problems.add("defaults: is not a mapping of onboarding-request fields");
    }
    JsonNode databases = document.path("databases");
    if (!databases.isMissingNode() && !databases.isNull() && !databases.isArray()) {
      problems.add("databases: is not a list");
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    ObjectNode out = ((ObjectNode) document).deepCopy();
    out.remove("defaults");
    if (databases.isArray()) {
      ArrayNode merged = out.putArray("databases");
      for (JsonNode db : databases) {
        merged.add(db.isObject() && defaults.isObject() ? merge(defaults, db) : db.deepCopy());
      }
    }
    return out;
  }

  /** {@code over} on top of {@code under}: objects field by field, anything else replaced. */
  static JsonNode merge(JsonNode under, JsonNode over) {
    ObjectNode out = ((ObjectNode) under).deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode base = out.get(e.getKey());
      out.set(
          e.getKey(),
          base != null && base.isObject() && e.getValue().isObject()
              ? merge(base, e.getValue())
              : e.getValue().deepCopy());
    }
    return out;
  }
}
