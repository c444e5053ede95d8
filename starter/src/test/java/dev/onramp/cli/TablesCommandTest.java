package dev.onramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code onramp tables}: help, and bad input refused before Temporal is contacted. */
class TablesCommandTest {
  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    CommandLine cmd = Onramp.commandLine();
    cmd.setErr(new PrintWriter(err));
    PrintWriter help = new PrintWriter(out, true, StandardCharsets.UTF_8);
    cmd.setOut(help);
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = cmd.execute(args);
      help.flush();
    } finally {
      System.setOut(original);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void helpSaysWhatAddAndDropDo() {
    assertThat(run("tables", "--help").code()).isZero();
    CommandLine tables = Onramp.commandLine().getSubcommands().get("tables");
    assertThat(tables.getUsageMessage())
        .contains("add")
        .contains("drop")
        .contains("ADD SUBSOURCE")
        .contains("CREATE TABLE ... FROM SOURCE");
    assertThat(tables.getSubcommands().get("add").getUsageMessage())
        .contains("TARGET")
        .contains("TABLES")
        .contains("REPLICA IDENTITY FULL")
        .contains("--output");
  }

  @Test
  void badNamesAndTargetsAreRefusedBeforeTemporalIsContacted() {
    Run badTable =
        run(
            "tables",
            "add",
            "--temporal-address",
            "127.0.0.1:1",
            "us-east-1/db-1/shop",
            "orders,orders;drop");
    assertThat(badTable.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badTable.err()).contains("'orders;drop'").doesNotContain("Temporal");
    Run empty =
        run(
            "tables",
            "drop",
            "--temporal-address",
            "127.0.0.1:1",
            "us-east-1/db-1/shop",
            "orders,,x");
    assertThat(empty.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(empty.err()).contains("empty name");
    Run badTarget = run("tables", "add", "--temporal-address", "127.0.0.1:1", "db-1", "orders");
    assertThat(badTarget.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badTarget.err()).contains("region/instance/database");
  }
}
