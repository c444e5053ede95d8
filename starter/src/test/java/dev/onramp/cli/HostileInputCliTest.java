package dev.onramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Hostile input through {@code onramp start}: each is refused before anything is contacted, with
 * the field named and no stack trace or raw control character in the output, or accepted as a value
 * that is safe (quoted once, never in a URL) and then gets only as far as Temporal, which is
 * unreachable here on purpose.
 */
class HostileInputCliTest {
  @TempDir static Path dir;

  /** One input: the flag, its value, and the field named in the refusal (null: accepted). */
  record Input(String flag, String value, String refusedField) {
    @Override
    public String toString() {
      String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
      return flag + " " + shown.replaceAll("\\p{Cntrl}", "?") + " -> " + refusedField;
    }
  }

  static Stream<Input> inputs() {
    List<Input> in = new ArrayList<>();
    // Database names: quotes, "", semicolons, comments, URL characters, control characters.
    refused(in, "--database", "shop\"; DROP DATABASE x; --", "database");
    refused(in, "--database", "\"shop\"; DROP DATABASE x; --", "database");
    refused(in, "--database", "\"\"", "database");
    refused(in, "--database", "\"", "database");
    refused(in, "--database", "shop;", "database");
    refused(in, "--database", "shop -- comment", "database");
    refused(in, "--database", "/* c */shop", "database");
    refused(in, "--database", "shop?sslmode=disable&host=10.0.0.9", "database");
    refused(in, "--database", "shop/../x%2F#", "database");
    refused(in, "--database", "shop\u0000", "database");
    refused(in, "--database", "shop\nDROP", "database");
    refused(in, "--database", "\u001b[2J", "database");
    refused(in, "--database", "\"tab\there\"", "database");
    refused(in, "--database", " shop", "database");
    refused(in, "--database", "a".repeat(64), "database");
    refused(in, "--database", "a".repeat(65), "database");
    refused(in, "--database", "\"" + "é".repeat(32) + "\"", "database");
    refused(in, "--database", "x".repeat(1 << 20), "database");
    accepted(in, "--database", "\"a\"\"b\"");
    accepted(in, "--database", "\"shop?host=10.0.0.9&port=1/%#\"");
    accepted(in, "--database", "Café");
    accepted(in, "--database", "\"日本語\"");
    accepted(in, "--database", "\"\uD83D\uDE42\"");
    accepted(in, "--database", "a".repeat(63));
    accepted(in, "--database", "\"" + "é".repeat(31) + "e\"");
    accepted(in, "--database", "select");
    accepted(in, "--database", "\"select\"");
    accepted(in, "--database", "Shop");
    // Instance ids and regions with path and header characters.
    refused(in, "--instance", "../db-1", "dbInstanceId");
    refused(in, "--instance", "db-1/../../x", "dbInstanceId");
    refused(in, "--instance", "db%2F1", "dbInstanceId");
    refused(in, "--instance", "db-1?x=1", "dbInstanceId");
    refused(in, "--instance", "db-1#", "dbInstanceId");
    refused(in, "--instance", "db-1\u0000", "dbInstanceId");
    refused(in, "--instance", "d".repeat(64), "dbInstanceId");
    refused(in, "--region", "us-east-1/../x", "region");
    refused(in, "--region", "us-east-1\r\nX-Injected: 1", "region");
    // Other names.
    refused(in, "--publication", "mz_source; DROP PUBLICATION x", "publication");
    accepted(in, "--publication", "\"Pub-1\"");
    refused(in, "--replication-user", "\"postgres\"--", "replicationUser");
    refused(in, "--replication-user", "materialize\u0007", "replicationUser");
    refused(in, "--tables", "orders; DROP TABLE x", "tables.names[0]");
    refused(in, "--tables", "\"a\".b.c", "tables.names[0]");
    accepted(in, "--tables", "public.\"t\"\"x\"");
    refused(in, "--cluster", "c\u0000", "materialize.cluster");
    accepted(in, "--cluster", "\"Ingest A\"");
    refused(in, "--cluster-size", "25cc; DROP", "materialize.clusterSize");
    refused(in, "--source", "src--", "materialize.source");
    refused(in, "--replication-secret", "x'; --", "replicationPasswordSecret");
    refused(in, "--admin-credentials", "SECRETS_MANAGER:../../x y", "adminCredentials.id");
    // Unknown enum values.
    refused(in, "--reboot-policy", "whenever", "rebootPolicy");
    refused(in, "--network-mode", "carrier-pigeon", "networkMode");
    refused(in, "--ssl-mode", "verify-nothing", "materialize.sslMode");
    // A huge table list.
    refused(in, "--tables", String.join(",", Collections.nCopies(6000, "t")), "tables.names");
    return in.stream();
  }

  private static void refused(List<Input> in, String flag, String value, String field) {
    in.add(new Input(flag, value, field));
  }

  private static void accepted(List<Input> in, String flag, String value) {
    in.add(new Input(flag, value, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void eachIsRefusedWithTheFieldNamedOrGetsOnlyAsFarAsTemporal(Input input) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("--region", "us-east-1");
    flags.put("--instance", "db-1");
    flags.put("--database", "shop");
    flags.put("--reboot-policy", "approval");
    flags.put(input.flag(), input.value());
    List<String> args = new ArrayList<>(List.of("start"));
    flags.forEach(
        (k, v) -> {
          args.add(k);
          args.add(v);
        });
    Run r = run(args.toArray(String[]::new));
    assertOutcome(r, input.refusedField());
  }

  static Stream<Object[]> files() {
    return Stream.of(
        new Object[] {"{{{ not: [yaml", "not valid YAML"},
        new Object[] {"\u0000\u0001\u0002binary", "request.yaml"},
        new Object[] {"- a\n- list\n", "request.yaml"},
        new Object[] {"just a sentence", "request.yaml"},
        new Object[] {"region: us-east-1\ndbInstanceId: db-1\ndatabase: \"shop\\0\"\n", "database"},
        new Object[] {
          "region: us-east-1\ndbInstanceId: db-1\ndatabase: shop\ndropTable: yes\n",
          "unknown field 'dropTable'"
        },
        new Object[] {
          "region: us-east-1\ndbInstanceId: db-1\ndatabase: shop\nrebootPolicy: whenever\n",
          "rebootPolicy"
        },
        new Object[] {billionLaughs(), "request.yaml"});
  }

  /** Nested aliases that would expand to 10^9 entries; SnakeYAML limits aliases. */
  private static String billionLaughs() {
    StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      sb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        sb.append(i == 0 ? "" : ",").append('*').append(p);
      }
      sb.append("]\n");
    }
    return sb.toString();
  }

  @ParameterizedTest(name = "request file {index}")
  @MethodSource("files")
  void aRequestFileThatIsNotARequestIsRefusedNamingTheFile(String text, String named)
      throws Exception {
    Path f = dir.resolve("request.yaml");
    Files.write(f, text.getBytes(StandardCharsets.UTF_8));
    Run r = run("start", "-f", f.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains(named).doesNotContain("\tat ");
  }

  private static void assertOutcome(Run r, String refusedField) {
    assertThat(r.err()).doesNotContain("\tat ").doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f]");
    if (refusedField == null) {
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(r.err()).contains("cannot reach Temporal");
    } else {
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err()).contains(refusedField + ":");
      assertThat(r.err().length()).as("a refusal that fits on a screen").isLessThan(4000);
    }
  }

  private record Run(int code, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cmd = Onramp.commandLine();
    cmd.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--temporal-address";
    all[args.length + 1] = "127.0.0.1:1";
    int code = cmd.execute(all);
    return new Run(code, err.toString());
  }
}
