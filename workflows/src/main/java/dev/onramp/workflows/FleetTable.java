package dev.onramp.workflows;

import java.util.List;

/** A fleet's summary as a fixed-width text table (the CLI and the fleet's log print it). */
public final class FleetTable {
  private FleetTable() {}

  public static String render(List<FleetMember> members) {
    String[] head = {"REGION", "INSTANCE", "DATABASE", "STATE", "DETAIL"};
    int[] w = new int[head.length];
    for (int i = 0; i < head.length; i++) {
      w[i] = head[i].length();
    }
    for (FleetMember m : members) {
      String[] row = row(m);
      for (int i = 0; i < row.length - 1; i++) {
        w[i] = Math.max(w[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, head, w);
    for (FleetMember m : members) {
      line(out, row(m), w);
    }
    return out.toString();
  }

  private static String[] row(FleetMember m) {
    return new String[] {
      m.region(),
      m.dbInstanceId(),
      m.database(),
      m.state().name(),
      m.detail() == null ? "" : m.detail()
    };
  }

  private static void line(StringBuilder out, String[] cells, int[] w) {
    for (int i = 0; i < cells.length; i++) {
      out.append(i == cells.length - 1 ? cells[i] : pad(cells[i], w[i] + 2));
    }
    out.append('\n');
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
