import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes README.md's proof table from what the proof suites recorded in e2e/target/proof/*.tsv
 * (one file per suite, written by the suite itself: see e2e ProofLog). Run by scripts/proof-table
 * after scripts/test (or scripts/test --full); a single-file program, JDK only.
 */
public class ProofTable {
  static final String BEGIN = "<!-- proof-table:begin (written by scripts/proof-table; do not edit) -->";
  static final String END = "<!-- proof-table:end -->";

  record Row(String suite, String kind, String tried, String outcome, int duplicated, int secrets, String detail) {}

  public static void main(String[] args) throws IOException {
    Path readme = Path.of(args.length > 0 ? args[0] : "README.md");
    Path dir = Path.of(args.length > 1 ? args[1] : "e2e/target/proof");
    if (!Files.isDirectory(dir)) {
      System.err.println("proof-table: no " + dir + ": run scripts/test (or scripts/test --full) first");
      System.exit(1);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".tsv")).sorted().toList();
    }
    List<Row> rows = new ArrayList<>();
    StringBuilder runs = new StringBuilder();
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      String[] head = lines.get(0).substring(2).split("\t");
      String suite = head[0];
      runs.append("`").append(suite).append("` ").append(head[1]).append(" (").append(head[2]).append(")").append("; ");
      for (String line : lines.subList(1, lines.size())) {
        String[] c = line.split("\t", -1);
        rows.add(new Row(suite, c[0], c[1], c[2], Integer.parseInt(c[3]), Integer.parseInt(c[4]), c[5]));
      }
    }
    StringBuilder t = new StringBuilder();
    t.append(BEGIN).append("\n\n");
    t.append("Last runs: ").append(runs.length() > 2 ? runs.substring(0, runs.length() - 2) : "none").append(".\n\n");
    t.append("| suite | kind | cases tried | completed | failed, typed, fix named | other outcome | resources duplicated | secrets found |\n");
    t.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    rows.stream().map(r -> r.suite() + "\t" + r.kind()).distinct().forEach(key -> {
      List<Row> g = rows.stream().filter(r -> (r.suite() + "\t" + r.kind()).equals(key)).toList();
      long completed = g.stream().filter(r -> r.outcome().equals("completed")).count();
      long typed = g.stream().filter(r -> r.outcome().startsWith("failed: ")).count();
      t.append("| ").append(g.get(0).suite()).append(" | ").append(g.get(0).kind())
          .append(" | ").append(g.size())
          .append(" | ").append(completed)
          .append(" | ").append(typed)
          .append(" | ").append(g.size() - completed - typed)
          .append(" | ").append(g.stream().mapToInt(Row::duplicated).max().orElse(0))
          .append(" | ").append(g.stream().mapToInt(Row::secrets).max().orElse(0))
          .append(" |\n");
    });
    List<Row> crashes = rows.stream().filter(r -> r.kind().equals("crash")).toList();
    if (!crashes.isEmpty()) {
      t.append("\nCrash points tried: ");
      for (String point : List.of("before", "during", "after")) {
        t.append(point).append(" ").append(crashes.stream().filter(r -> r.tried().endsWith(" " + point)).count());
        if (point.equals("during")) {
          t.append(" (").append(crashes.stream().filter(r -> r.tried().endsWith(" during") && !r.detail().contains("body ended first")).count())
              .append(" while the body ran)");
        }
        t.append(point.equals("after") ? "" : ", ");
      }
      t.append("; activity types: onboarding ")
          .append(crashes.stream().filter(r -> r.tried().startsWith("onboarding: ")).map(r -> r.tried().split(" ")[1]).distinct().count())
          .append(", re-verification ")
          .append(crashes.stream().filter(r -> r.tried().startsWith("re-verification: ")).map(r -> r.tried().split(" ")[1]).distinct().count())
          .append(".\n");
    }
    t.append("\n<details><summary>Every case and its outcome (").append(rows.size()).append(")</summary>\n\n");
    t.append("| suite | tried | outcome | duplicated | secrets | detail |\n|---|---|---|---:|---:|---|\n");
    for (Row r : rows) {
      t.append("| ").append(r.suite()).append(" | ").append(r.tried()).append(" | ").append(r.outcome())
          .append(" | ").append(r.duplicated()).append(" | ").append(r.secrets()).append(" | ").append(r.detail()).append(" |\n");
    }
    t.append("\n</details>\n\n").append(END);
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    if (b < 0 || e < b) {
      System.err.println("proof-table: " + readme + " has no " + BEGIN + " ... " + END + " markers");
      System.exit(1);
    }
    Files.writeString(readme, text.substring(0, b) + t + text.substring(e + END.length()), StandardCharsets.UTF_8);
    System.out.println("proof-table: " + rows.size() + " cases from " + files.size() + " suites written to " + readme);
  }
}
