package dev.onramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input is refused before anything is contacted, with a line that names the problem. */
class StartCommandTest {
  @TempDir Path dir;

  private record Run(int code, String err) {}

  private Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cmd = Onramp.commandLine();
    cmd.setErr(new PrintWriter(err));
    // Temporal is unreachable on purpose: a bad request must be refused before connecting.
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--temporal-address";
    all[args.length + 1] = "127.0.0.1:1";
    int code = cmd.execute(all);
    return new Run(code, err.toString());
  }

  @Test
  void malformedFieldsAreNamedAndNothingIsContacted() {
    Run r =
        run(
            "start",
            "--region",
            "us-east-1",
            "--instance",
            "db--1",
            "--database",
            "shop",
            "--tables",
            "orders;drop");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains("dbInstanceId: 'db--1'")
        .contains("tables.names[0]: 'orders;drop'")
        .doesNotContain("Temporal")
        .doesNotContain("\tat ");
  }

  @Test
  void unknownRebootPolicyNamesTheChoices() {
    Run r =
        run(
            "start",
            "--region",
            "us-east-1",
            "--instance",
            "db-1",
            "--database",
            "shop",
            "--reboot-policy",
            "whenever");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("rebootPolicy: 'whenever' is not one of IMMEDIATE");
  }

  @Test
  void badRequestFileNamesTheLineAndField() throws Exception {
    Path f = dir.resolve("request.yaml");
    Files.writeString(
        f,
        String.join(
            "\n",
            "region: us-east-1",
            "dbInstanceId: db-1",
            "database: shop",
            "networkMode: carrier-pigeon",
            ""));
    Run r = run("start", "-f", f.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("request.yaml line 4, field networkMode: 'carrier-pigeon'");
  }

  @Test
  void misspelledFieldInRequestFileIsNamedWithItsLine() throws Exception {
    Path f = dir.resolve("typo.yaml");
    Files.writeString(f, "region: us-east-1\ndbInstanceID: db-1\ndatabase: shop\n");
    Run r = run("start", "-f", f.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("typo.yaml line 2: unknown field 'dbInstanceID'");
  }

  @Test
  void aGoodRequestGetsAsFarAsTemporalAndSaysWhereItLooked() throws Exception {
    Path f = dir.resolve("ok.yaml");
    Files.writeString(
        f,
        String.join(
            "\n",
            "region: us-east-1",
            "dbInstanceId: db-1",
            "database: shop",
            "tables: {mode: TABLES, names: [orders, '\"Line Items\"']}",
            "adminCredentials: SECRETS_MANAGER:arn:aws:secretsmanager:us-east-1:1:secret:admin",
            "waits: {awsPollInterval: 10s, awsMaxWait: 2h}",
            ""));
    Run r = run("start", "-f", f.toString(), "--reboot-policy", "immediate");
    assertThat(r.code()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err()).contains("cannot reach Temporal at 127.0.0.1:1").doesNotContain("\tat ");
  }

  @Test
  void unknownTargetFormIsExplained() {
    Run r = run("status", "db-1");
    assertThat(r.code()).isIn(ExitCodes.BAD_INPUT, ExitCodes.UNREACHABLE);
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Durations.parse("30s")).hasSeconds(30);
    assertThat(Durations.parse("2h")).hasHours(2);
    assertThat(Durations.parse("PT5M")).hasMinutes(5);
    assertThat(Durations.format(java.time.Duration.ofSeconds(3725))).isEqualTo("1h02m");
  }

  @Test
  void maxRebootsOutOfRangeIsNamed() {
    Run r =
        run(
            "start",
            "--region",
            "us-east-1",
            "--instance",
            "db-1",
            "--database",
            "shop",
            "--max-reboots",
            "0");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("maxReboots: 0 is not between 1 and 3");
  }

  @Test
  void setMaxSlotWalKeepSizeTakesAnOptionalSizeAndANegativeOneIsNamed() {
    String[] base = {"start", "--region", "us-east-1", "--instance", "db-1", "--database", "shop"};
    // Without a value (the recommended size) and with one, the run gets as far as Temporal.
    Run recommended = run(concat(base, "--set-max-slot-wal-keep-size"));
    assertThat(recommended.code()).as(recommended.err()).isEqualTo(ExitCodes.UNREACHABLE);
    Run sized = run(concat(base, "--set-max-slot-wal-keep-size=4096"));
    assertThat(sized.code()).as(sized.err()).isEqualTo(ExitCodes.UNREACHABLE);
    Run negative = run(concat(base, "--set-max-slot-wal-keep-size=-2"));
    assertThat(negative.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(negative.err()).contains("setMaxSlotWalKeepSizeMb: -2 is negative");
  }

  private static String[] concat(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void rebootFieldsComeFromTheRequestFileAndFlagsWin() throws Exception {
    dev.onramp.workflows.OnboardingRequest fromFile =
        dev.onramp.cli.request.RequestFile.parse(
            "r.yaml",
            String.join(
                "\n",
                "region: us-east-1",
                "dbInstanceId: db-1",
                "database: shop",
                "maxReboots: 2",
                "applyPendingModifications: true",
                ""));
    assertThat(fromFile.maxReboots()).isEqualTo(2);
    assertThat(fromFile.appliesPendingModifications()).isTrue();

    // The flags parse and pass validation: the run gets as far as Temporal.
    Run r =
        run(
            "start",
            "--region",
            "us-east-1",
            "--instance",
            "db-1",
            "--database",
            "shop",
            "--max-reboots",
            "2",
            "--apply-pending-modifications");
    assertThat(r.code()).isEqualTo(ExitCodes.UNREACHABLE);
  }
}
