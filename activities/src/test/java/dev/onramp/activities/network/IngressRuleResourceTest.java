package dev.onramp.activities.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.sandbox.aws.AwsEmulator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;

/** The ingress-rule resource through the network activities, against the AWS emulator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressRuleResourceTest {
  private static final String REGION = "us-east-1";
  private AwsEmulator emulator;
  private AwsClients aws;
  private NetworkActivitiesImpl network;

  @BeforeAll
  void start() {
    emulator =
        AwsEmulator.builder()
            .securityGroup("converge-sg")
            .securityGroup("reused-sg")
            .securityGroup("drift-sg")
            .securityGroup("changed-sg")
            .start();
    aws = EmulatorAws.clients(emulator);
    network = new NetworkActivitiesImpl(aws);
  }

  @AfterAll
  void stop() {
    aws.close();
    emulator.close();
  }

  private String groupId(String name) {
    return aws.ec2(REGION)
        .describeSecurityGroups(b -> b.filters(f -> f.name("group-name").values(name)))
        .securityGroups()
        .get(0)
        .groupId();
  }

  private List<IpPermission> rules(String groupId) {
    return aws.ec2(REGION)
        .describeSecurityGroups(b -> b.groupIds(groupId))
        .securityGroups()
        .get(0)
        .ipPermissions();
  }

  private void authorize(String groupId, int from, int to, String cidr, String description) {
    aws.ec2(REGION)
        .authorizeSecurityGroupIngress(
            b ->
                b.groupId(groupId)
                    .ipPermissions(
                        IpPermission.builder()
                            .ipProtocol("tcp")
                            .fromPort(from)
                            .toPort(to)
                            .ipRanges(
                                IpRange.builder().cidrIp(cidr).description(description).build())
                            .build()));
  }

  @Test
  void convergeCreatesThenReusesAndRemovalRestoresTheGroupsRules() {
    String sg = groupId("converge-sg");
    IngressRequest request =
        new IngressRequest(REGION, List.of(sg), 5432, List.of("203.0.113.10/32", "2001:db8::/64"));
    List<IpPermission> before = rules(sg);

    List<PlannedChange> plan = network.planIngress(request);
    assertThat(plan).extracting(PlannedChange::action).containsOnly(PlanAction.CREATE);
    assertThat(rules(sg)).as("plan changes nothing").isEqualTo(before);

    List<LedgerEntry> first = network.convergeIngress(request);
    assertThat(first)
        .extracting(LedgerEntry::identifier, LedgerEntry::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                sg + " tcp/5432 from 203.0.113.10/32", Outcome.CREATED),
            org.assertj.core.groups.Tuple.tuple(
                sg + " tcp/5432 from 2001:db8::/64", Outcome.CREATED));
    assertThat(first.get(0).attributes())
        .containsEntry("securityGroupId", sg)
        .containsEntry("port", "5432")
        .containsEntry("cidr", "203.0.113.10/32");
    assertThat(rules(sg)).isNotEqualTo(before);
    assertThat(network.planIngress(request))
        .extracting(PlannedChange::action)
        .containsOnly(PlanAction.REUSE);

    List<LedgerEntry> second = network.convergeIngress(request);
    assertThat(second).extracting(LedgerEntry::outcome).containsOnly(Outcome.REUSED);
    assertThat(network.ingressDrift(request)).isEmpty();

    List<Removal> removed = network.removeIngress(new IngressRemoval(REGION, first));
    assertThat(removed).extracting(Removal::outcome).containsOnly(RemovalOutcome.REMOVED);
    assertThat(rules(sg)).as("the group's rules as before onboarding").isEqualTo(before);

    List<Removal> again = network.removeIngress(new IngressRemoval(REGION, first));
    assertThat(again).extracting(Removal::outcome).containsOnly(RemovalOutcome.ALREADY_GONE);
  }

  @Test
  void aRuleThatWasThereBeforeIsReusedAndKept() {
    String sg = groupId("reused-sg");
    // Someone's own rule, broader than onramp's: it lets the CIDR in already.
    authorize(sg, 5000, 6000, "198.51.100.0/24", "the DBA's rule");
    List<IpPermission> before = rules(sg);
    IngressRequest request =
        new IngressRequest(REGION, List.of(sg), 5432, List.of("198.51.100.0/24"));

    List<LedgerEntry> entries = network.convergeIngress(request);
    assertThat(entries).extracting(LedgerEntry::outcome).containsExactly(Outcome.REUSED);
    assertThat(rules(sg)).isEqualTo(before);

    List<Removal> removed = network.removeIngress(new IngressRemoval(REGION, entries));
    assertThat(removed).extracting(Removal::outcome).containsExactly(RemovalOutcome.KEPT_NOT_OURS);
    assertThat(rules(sg)).isEqualTo(before);
  }

  @Test
  void aRuleChangedSinceOnboardingIsKeptAndReported() {
    String sg = groupId("changed-sg");
    IngressRequest request = new IngressRequest(REGION, List.of(sg), 5432, List.of("192.0.2.7/32"));
    List<LedgerEntry> entries = network.convergeIngress(request);
    assertThat(entries).extracting(LedgerEntry::outcome).containsExactly(Outcome.CREATED);
    // Someone replaces onramp's rule with a port range of their own for the same CIDR.
    aws.ec2(REGION)
        .revokeSecurityGroupIngress(
            b ->
                b.groupId(sg)
                    .ipPermissions(
                        IpPermission.builder()
                            .ipProtocol("tcp")
                            .fromPort(5432)
                            .toPort(5432)
                            .ipRanges(IpRange.builder().cidrIp("192.0.2.7/32").build())
                            .build()));
    authorize(sg, 5432, 5433, "192.0.2.7/32", "widened by hand");
    List<IpPermission> changed = rules(sg);

    Removal removal = network.removeIngress(new IngressRemoval(REGION, entries)).get(0);
    assertThat(removal.outcome()).isEqualTo(RemovalOutcome.KEPT_CHANGED);
    assertThat(removal.message()).contains("changed since onboarding");
    assertThat(rules(sg)).isEqualTo(changed);
  }

  @Test
  void driftFindsARevokedRuleWithTheCommandThatPutsItBack() {
    String sg = groupId("drift-sg");
    IngressRequest request =
        new IngressRequest(REGION, List.of(sg), 6875, List.of("203.0.113.99/32"));
    network.convergeIngress(request);
    aws.ec2(REGION)
        .revokeSecurityGroupIngress(
            b ->
                b.groupId(sg)
                    .ipPermissions(
                        IpPermission.builder()
                            .ipProtocol("tcp")
                            .fromPort(6875)
                            .toPort(6875)
                            .ipRanges(IpRange.builder().cidrIp("203.0.113.99/32").build())
                            .build()));

    List<Finding> findings = network.ingressDrift(request);
    assertThat(findings)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
              assertThat(f.identifier()).isEqualTo(sg + " tcp/6875 from 203.0.113.99/32");
              assertThat(f.fix())
                  .isEqualTo(
                      "aws ec2 authorize-security-group-ingress --region us-east-1 --group-id "
                          + sg
                          + " --ip-permissions 'IpProtocol=tcp,FromPort=6875,ToPort=6875,"
                          + "IpRanges=[{CidrIp=203.0.113.99/32,Description=\"onramp: Materialize egress\"}]'");
            });
    // The plan says the rule would be made again, and converging does so.
    assertThat(network.planIngress(request))
        .extracting(PlannedChange::action)
        .containsExactly(PlanAction.CREATE);
    assertThat(network.convergeIngress(request))
        .extracting(LedgerEntry::outcome)
        .containsExactly(Outcome.CREATED);
    assertThat(network.ingressDrift(request)).isEmpty();
  }
}
