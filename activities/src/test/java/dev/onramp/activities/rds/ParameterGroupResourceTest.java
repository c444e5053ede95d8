package dev.onramp.activities.rds;

import static dev.onramp.activities.aws.EmulatorAws.poll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.rds.Timings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * The parameter group and association resources through the RDS activities, against the AWS
 * emulator: what onboarding converges, offboarding takes away again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParameterGroupResourceTest {
  private static final String REGION = "us-east-1";

  private AwsEmulator emulator;
  private AwsClients aws;
  private RdsActivitiesImpl rds;

  @BeforeAll
  void start() {
    emulator =
        AwsEmulator.builder()
            .timings(Timings.all(Duration.ofMillis(200)))
            .instance(DbInstanceSpec.builder("ledger-db").build())
            .instance(DbInstanceSpec.builder("ready-db").parameterGroup("ready-group").build())
            .start();
    aws = EmulatorAws.clients(emulator);
    rds = new RdsActivitiesImpl(aws);
  }

  @AfterAll
  void stop() {
    aws.close();
    emulator.close();
  }

  /** The groups and their rds.logical_replication values, and each instance's group. */
  private List<String> rdsState() {
    List<String> state = new java.util.ArrayList<>();
    for (DBParameterGroup g :
        aws.rds(REGION).describeDBParameterGroupsPaginator(b -> {}).dbParameterGroups()) {
      String value =
          aws
              .rds(REGION)
              .describeDBParametersPaginator(b -> b.dbParameterGroupName(g.dbParameterGroupName()))
              .parameters()
              .stream()
              .filter(p -> "rds.logical_replication".equals(p.parameterName()))
              .map(Parameter::parameterValue)
              .findFirst()
              .orElse(null);
      state.add(g.dbParameterGroupName() + " rds.logical_replication=" + value);
    }
    for (String id : List.of("ledger-db", "ready-db")) {
      state.add(id + " on " + rds.describeInstance(REGION, id).parameterGroup());
    }
    return state;
  }

  @Test
  void convergeThenRemoveLeavesTheGroupsAndTheAssociationAsTheyWere() throws Exception {
    List<String> before = rdsState();
    ParameterGroupPlan plan = rds.planParameterGroup(REGION, "ledger-db");
    assertThat(plan.action()).isEqualTo(ParameterGroupPlan.Action.CREATE);
    assertThat(rdsState()).as("planning changes nothing").isEqualTo(before);

    LedgerEntry group = rds.convergeParameterGroup(new ParameterGroupRequest(REGION, plan));
    assertThat(group.kind()).isEqualTo(ResourceKind.PARAMETER_GROUP);
    assertThat(group.identifier()).isEqualTo("onramp-postgres16-ledger-db");
    assertThat(group.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(group.previous()).isEqualTo("default.postgres16");

    LedgerEntry association =
        rds.convergeAssociation(
            new AssociationRequest(REGION, "ledger-db", plan.targetGroup(), false));
    assertThat(association.kind()).isEqualTo(ResourceKind.PARAMETER_GROUP_ASSOCIATION);
    assertThat(association.outcome()).isEqualTo(Outcome.CHANGED);
    assertThat(association.previous()).isEqualTo("default.postgres16");
    poll(() -> rds.checkAssociated(REGION, "ledger-db", plan.targetGroup()));

    // Converging again (a re-run): the group is reused, the association too, and the way back is
    // still known from the group's onramp:source-group tag.
    ParameterGroupPlan again = rds.planParameterGroup(REGION, "ledger-db");
    assertThat(again.action()).isEqualTo(ParameterGroupPlan.Action.ALREADY_SET);
    assertThat(rds.convergeParameterGroup(new ParameterGroupRequest(REGION, again)).outcome())
        .isEqualTo(Outcome.REUSED);
    LedgerEntry reAssociated =
        rds.convergeAssociation(
            new AssociationRequest(REGION, "ledger-db", plan.targetGroup(), false));
    assertThat(reAssociated.outcome()).isEqualTo(Outcome.REUSED);
    assertThat(reAssociated.previous()).isEqualTo("default.postgres16");

    // Drift: someone turns the parameter off in onramp's group; the fix is the exact command.
    ParameterGroupResource resource = new ParameterGroupResource(aws.rds(REGION), REGION);
    AssociationResource associationResource = new AssociationResource(aws.rds(REGION), REGION);
    assertThat(resource.drift(plan)).isEmpty();
    assertThat(
            associationResource.drift(
                new AssociationRequest(REGION, "ledger-db", plan.targetGroup(), false)))
        .isEmpty();
    setLogicalReplication(plan.targetGroup(), "0");
    assertThat(resource.drift(plan))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
              assertThat(f.fix())
                  .isEqualTo(
                      "aws rds modify-db-parameter-group --region us-east-1"
                          + " --db-parameter-group-name onramp-postgres16-ledger-db --parameters"
                          + " ParameterName=rds.logical_replication,ParameterValue=1,"
                          + "ApplyMethod=pending-reboot");
            });
    setLogicalReplication(plan.targetGroup(), "1");
    assertThat(
            associationResource.drift(
                new AssociationRequest(REGION, "ledger-db", "default.postgres16", false)))
        .singleElement()
        .satisfies(f -> assertThat(f.fix()).contains("aws rds modify-db-instance"));

    // In use: RDS would refuse (InvalidDBParameterGroupState); onramp keeps it and says by whom.
    Removal inUse = rds.removeParameterGroup(new ParameterGroupRemoval(REGION, "ledger-db", group));
    assertThat(inUse.outcome()).isEqualTo(RemovalOutcome.KEPT_CHANGED);
    assertThat(inUse.message()).contains("still used by ledger-db", "delete-db-parameter-group");

    // Offboarding: back to the previous group (as the workflow does), then the group goes.
    LedgerEntry back =
        rds.convergeAssociation(
            new AssociationRequest(REGION, "ledger-db", association.previous(), false));
    assertThat(back.outcome()).isEqualTo(Outcome.CHANGED);
    poll(() -> rds.checkAssociated(REGION, "ledger-db", "default.postgres16"));
    Removal removed =
        rds.removeParameterGroup(new ParameterGroupRemoval(REGION, "ledger-db", group));
    assertThat(removed.outcome()).isEqualTo(RemovalOutcome.REMOVED);
    assertThat(rdsState()).isEqualTo(before);

    assertThat(
            rds.removeParameterGroup(new ParameterGroupRemoval(REGION, "ledger-db", group))
                .outcome())
        .isEqualTo(RemovalOutcome.ALREADY_GONE);
  }

  private void setLogicalReplication(String group, String value) {
    aws.rds(REGION)
        .modifyDBParameterGroup(
            b ->
                b.dbParameterGroupName(group)
                    .parameters(
                        Parameter.builder()
                            .parameterName("rds.logical_replication")
                            .parameterValue(value)
                            .applyMethod("pending-reboot")
                            .build()));
  }

  @Test
  void parameterGroupDriftSeesADefaultGroupAParameterTurnedOffAndAGroupNotInSync() {
    assertThat(rds.parameterGroupDrift(new ParameterGroupCheck(REGION, "ledger-db")))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
              assertThat(f.kind()).isEqualTo(ResourceKind.PARAMETER_GROUP_ASSOCIATION);
              assertThat(f.problem()).contains("default parameter group default.postgres16");
              assertThat(f.fix()).contains("run onramp again");
            });

    setLogicalReplication("ready-group", "0");
    try {
      List<dev.onramp.activities.ledger.Finding> found =
          rds.parameterGroupDrift(new ParameterGroupCheck(REGION, "ready-db"));
      assertThat(found)
          .anySatisfy(
              f -> {
                assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(f.kind()).isEqualTo(ResourceKind.PARAMETER_GROUP);
                assertThat(f.fix())
                    .contains("--db-parameter-group-name ready-group")
                    .contains("ParameterValue=1");
              });
      // A static parameter changed in the instance's group: RDS shows it pending-reboot.
      String apply =
          rds.describeInstance(REGION, "ready-db").parameterGroups().get(0).applyStatus();
      assertThat(apply).isEqualTo("pending-reboot");
      assertThat(found)
          .anySatisfy(
              f -> {
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.problem()).contains("ready-group is pending-reboot");
                assertThat(f.fix()).contains("aws rds reboot-db-instance");
              });
    } finally {
      setLogicalReplication("ready-group", "1");
    }
  }

  @Test
  void aGroupThatAlreadySetTheParameterIsReusedAndKept() {
    setLogicalReplication("ready-group", "1");
    ParameterGroupPlan plan = rds.planParameterGroup(REGION, "ready-db");
    assertThat(plan.action()).isEqualTo(ParameterGroupPlan.Action.ALREADY_SET);
    LedgerEntry entry = rds.convergeParameterGroup(new ParameterGroupRequest(REGION, plan));
    assertThat(entry.outcome()).isEqualTo(Outcome.REUSED);
    assertThat(entry.identifier()).isEqualTo("ready-group");
    LedgerEntry association =
        rds.convergeAssociation(new AssociationRequest(REGION, "ready-db", "ready-group", false));
    assertThat(association.outcome()).isEqualTo(Outcome.REUSED);
    assertThat(association.previous()).isNull();

    List<String> before = rdsState();
    Removal removal =
        rds.removeParameterGroup(new ParameterGroupRemoval(REGION, "ready-db", entry));
    assertThat(removal.outcome()).isEqualTo(RemovalOutcome.KEPT_NOT_OURS);
    assertThat(removal.message()).contains("not created by onramp");
    assertThat(rdsState()).isEqualTo(before);
  }
}
