package dev.onramp.cli.render;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header and rows, columns padded to their widest cell. */
public final class Table {
  private Table() {}

  public static List<String> lines(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], cell(row.get(i)).length());
      }
    }
    List<String> out = new ArrayList<>();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String c = cell(row.get(i));
        line.append(i == row.size() - 1 ? c : c + " ".repeat(width[i] - c.length() + 2));
      }
      out.add(line.toString().stripTrailing());
    }
    return out;
  }

  private static String cell(String value) {
    return value == null ? "-" : value;
  }
}
