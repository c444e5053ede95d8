package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The workflow parses each name of the request once and hands activities the values. */
class QuotedNamesWorkflowTest extends WorkflowTestSupport {

  @Test
  void quotedAndMixedCaseNamesReachTheActivitiesAsValues() {
    world.logicalReplicationOn = true;
    OnboardingRequest request =
        new OnboardingRequest(
                "us-east-1",
                "db-1",
                "\"Shop Floor\"",
                TableSelection.tables("orders"),
                "\"Pub-1\"",
                "Repl_User",
                null,
                null,
                new MaterializeTarget(
                    "\"Ingest \"\"A\"\"\"",
                    null,
                    null,
                    "\"Conn; --x\"",
                    null,
                    null,
                    null,
                    null,
                    null),
                null,
                RebootPolicy.IMMEDIATE,
                null,
                null,
                null,
                null)
            .withDefaults();

    OnboardingResult result = result(start(request));

    assertThat(result.reboots()).isZero();
    assertThat(world.namesGiven)
        .contains(
            "upstream.database=Shop Floor",
            "upstream.publication=Pub-1",
            "upstream.user=repl_user",
            "materialize.connection=Conn; --x",
            "materialize.connection.database=Shop Floor",
            "materialize.connection.secret=shop_floor_password",
            "materialize.source=shop_floor_source",
            "materialize.source.cluster=Ingest \"A\"",
            "materialize.source.publication=Pub-1");
    assertThat(world.namesGiven).noneMatch(n -> n.contains("\"Pub-1\"") || n.contains("\"Shop"));
    assertThat(world.materializeObjects).contains("cluster Ingest \"A\"");
  }

  @Test
  void aNameWrittenInUpperCaseIsTheSameTargetAsItsLowerCaseForm() {
    assertThat(OnboardingWorkflows.workflowId("us-east-1", "db-1", "Shop"))
        .isEqualTo(OnboardingWorkflows.workflowId("us-east-1", "db-1", "shop"));
    assertThat(OnboardingWorkflows.workflowId("us-east-1", "db-1", "\"Shop\""))
        .isEqualTo("onboard/us-east-1/db-1/Shop");
  }
}
