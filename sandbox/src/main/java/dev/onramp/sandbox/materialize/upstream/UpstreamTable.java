package dev.onramp.sandbox.materialize.upstream;

import java.util.List;

/** An upstream table as Materialize will ingest it. */
public record UpstreamTable(String schema, String name, List<Column> columns) {

  /** A column and the type its subsource column gets. */
  public record Column(String name, String upstreamType, long typeOid, boolean asText) {
    public String localType() {
      return asText ? "text" : upstreamType;
    }
  }

  public String qualified() {
    return schema + "." + name;
  }
}
