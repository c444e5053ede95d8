package dev.onramp.sandbox.aws.rds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import java.util.TreeMap;

/** A DB parameter group: its identity and the values set by the user (Source {@code user}). */
public final class ParameterGroup {
  public String name;
  public String family;
  public String description;
  public String arn;

  /** Values set with ModifyDBParameterGroup, by parameter name. */
  public Map<String, String> userValues = new TreeMap<>();

  /** The ApplyMethod each user value was set with. */
  public Map<String, String> applyMethods = new TreeMap<>();

  /** Tags, as set by Create/CopyDBParameterGroup's Tags or AddTagsToResource, in order. */
  public Map<String, String> tags = new java.util.LinkedHashMap<>();

  public ParameterGroup() {}

  public ParameterGroup(String name, String family, String description, String arn) {
    this.name = name;
    this.family = family;
    this.description = description;
    this.arn = arn;
  }

  /** RDS's default groups are named {@code default.<family>} and cannot be modified. */
  @JsonIgnore
  public boolean isDefault() {
    return name.startsWith("default.");
  }

  /** The value in effect in this group: the user's, else the engine default (may be null). */
  public String value(ParameterDefinition def) {
    String v = userValues.get(def.name());
    return v != null ? v : def.defaultValue();
  }
}
