package dev.onramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code onramp offboard}: its help, and bad input refused before Temporal is contacted. */
class OffboardCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    StringWriter stderr = new StringWriter();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      var cmd = Onramp.commandLine();
      cmd.setErr(new PrintWriter(stderr));
      cmd.setOut(new PrintWriter(stdout, true));
      code = cmd.execute(args);
    } finally {
      System.setOut(original);
    }
    return new Run(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString());
  }

  @Test
  void helpNamesTheFlagsAndWhatIsRemoved() {
    Run r = run("offboard", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("TARGET")
        .contains("--restore-parameter-group")
        .contains("--reboot-policy")
        .contains("--unreachable-after")
        .contains("replication slot")
        .contains("Exit code 8");
  }

  @Test
  void aTargetThatIsNotRegionInstanceDatabaseIsRefused() {
    Run r = run("offboard", "--temporal-address", "127.0.0.1:1", "db-1");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("write region/instance/database").doesNotContain("\tat ");
  }

  @Test
  void aBadInstanceIdNamesTheField() {
    Run r = run("offboard", "--temporal-address", "127.0.0.1:1", "us-east-1/db_1!/shop");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("dbInstanceId");
  }

  @Test
  void aRebootPolicyWithoutRestoringTheGroupIsRefused() {
    Run r =
        run(
            "offboard",
            "--temporal-address",
            "127.0.0.1:1",
            "--reboot-policy",
            "IMMEDIATE",
            "us-east-1/db-1/shop");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("only used with --restore-parameter-group");
  }

  @Test
  void aZeroUnreachableBoundIsRefused() {
    Run r =
        run(
            "offboard",
            "--temporal-address",
            "127.0.0.1:1",
            "--unreachable-after",
            "0s",
            "us-east-1/db-1/shop");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("waits.unreachableAfter");
  }
}
