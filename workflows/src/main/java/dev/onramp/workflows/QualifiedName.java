package dev.onramp.workflows;

/** A schema-qualified relation name; both parts are raw identifier values (not quoted). */
public record QualifiedName(String schema, String name) {

  /** The name quoted for SQL, e.g. {@code "public"."Odd ""name"""}. */
  public String quoted() {
    return SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(name);
  }

  @Override
  public String toString() {
    return schema + "." + name;
  }
}
