package dev.onramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.cli.render.LedgerView;
import dev.onramp.cli.render.PlanView;
import dev.onramp.workflows.OnboardingPlan;
import dev.onramp.workflows.client.OnboardingClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code onramp plan} reads a request exactly as {@code onramp start} does and refuses the same bad
 * input before contacting anything; {@code onramp show} names a target as the other commands do.
 */
class PlanAndShowCommandTest {
  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Onramp.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--temporal-address";
    all[args.length + 1] = "127.0.0.1:1";
    int code = cmd.execute(all);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void planRefusesWhatStartRefusesWithTheSameLine() {
    String[][] requests = {
      {"--region", "us-east-1", "--instance", "db--1", "--database", "shop"},
      {"--region", "us-east-1", "--instance", "db-1", "--database", "shop", "--tables", "a;b"},
      {"--region", "us-east-1", "--instance", "db-1", "--database", "shop", "--reboot-policy", "x"},
      {"--region", "us-east-1", "--instance", "db-1", "--database", "shop", "-f", "/no/such.yaml"}
    };
    for (String[] request : requests) {
      String[] start = prepend("start", request);
      String[] plan = prepend("plan", request);
      Run s = run(start);
      Run p = run(plan);
      assertThat(p.code()).as(String.join(" ", plan)).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(p.code()).isEqualTo(s.code());
      assertThat(p.err()).isEqualTo(s.err()).doesNotContain("\tat ");
    }
  }

  @Test
  void showNamesATargetAsTheOtherCommandsDo() {
    Run r = run("show", "shop");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("'shop' does not name an onboarding; write region/instance");
  }

  @Test
  void helpSaysWhatEachDoes() {
    assertThat(run("plan", "--help").out())
        .contains("changing nothing", "--instance", "--file", "--output");
    assertThat(run("show", "--help").out()).contains("ledger", "TARGET", "--output");
  }

  @Test
  void theLedgerIsATableOfKindIdentifierOutcomeAndPrevious() {
    List<String> lines =
        LedgerView.lines(
            new OnboardingClient.LedgerView(
                "onboard/us-east-1/db-1/shop",
                "COMPLETED",
                List.of(
                    LedgerEntry.created(ResourceKind.PUBLICATION, "mz_source"),
                    LedgerEntry.changed(
                        ResourceKind.PARAMETER_GROUP_ASSOCIATION, "db-1", "default.postgres16"),
                    LedgerEntry.reused(ResourceKind.MZ_CLUSTER, "onramp_ingest")),
                List.of("publication mz_source")));
    assertThat(lines.get(0)).isEqualTo("onboarding onboard/us-east-1/db-1/shop  COMPLETED");
    assertThat(lines.get(1)).containsSubsequence("KIND", "IDENTIFIER", "OUTCOME", "PREVIOUS");
    assertThat(lines.get(2)).containsSubsequence("publication", "mz_source", "created");
    assertThat(lines.get(3))
        .containsSubsequence(
            "parameter group association", "db-1", "changed", "default.postgres16");
    assertThat(lines.get(4)).containsSubsequence("mz cluster", "onramp_ingest", "reused");
    // Columns line up.
    assertThat(lines.get(2).indexOf("mz_source")).isEqualTo(lines.get(1).indexOf("IDENTIFIER"));
  }

  @Test
  void aRunFromBeforeTheLedgerSaysSo() {
    List<String> lines =
        LedgerView.lines(
            new OnboardingClient.LedgerView(
                "onboard/us-east-1/db-1/shop", "COMPLETED", List.of(), List.of("source s")));
    assertThat(lines.get(1)).contains("predates the ledger").contains("source s");
  }

  @Test
  void thePlanShowsTheWalSafetyReport() {
    List<String> lines =
        PlanView.lines(
            new OnboardingPlan(
                "db-1",
                "shop",
                List.of(),
                false,
                "logical replication is on",
                List.of(),
                dev.onramp.activities.upstream.WalSafety.of("-1", 100)));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("WAL safety: max_slot_wal_keep_size is -1")
                    .contains("recommended 10240 MB"));
  }

  @Test
  void thePlanIsATableWithTheRebootAndTheConflicts() {
    List<String> lines =
        PlanView.lines(
            new OnboardingPlan(
                "db-1",
                "shop",
                List.of(
                    new PlannedChange(
                        ResourceKind.PARAMETER_GROUP,
                        "onramp-postgres16-db-1",
                        PlanAction.CREATE,
                        "default group")),
                true,
                "rds.logical_replication is off",
                List.of("pending modifications")));
    assertThat(String.join("\n", lines))
        .contains("nothing was changed")
        .containsPattern("create\\s+parameter group\\s+onramp-postgres16-db-1\\s+default group")
        .contains("reboot needed: rds.logical_replication is off")
        .contains("  - pending modifications");
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
