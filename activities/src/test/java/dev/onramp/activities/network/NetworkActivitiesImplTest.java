package dev.onramp.activities.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.sandbox.aws.AwsEmulator;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.model.IpPermission;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkActivitiesImplTest {
  private static final String REGION = "us-east-1";
  private AwsEmulator emulator;
  private AwsClients aws;
  private NetworkActivitiesImpl network;

  @BeforeAll
  void start() {
    emulator =
        AwsEmulator.builder()
            .securityGroup("db-sg")
            .securityGroup("other-sg")
            .securityGroup("v6-sg")
            .securityGroup("guarded-sg")
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

  @Test
  void addsOneRulePerCidrOnceAndCountsDuplicatesAsSuccess() {
    String sg = groupId("db-sg");
    List<String> cidrs = List.of("203.0.113.10/32", "198.51.100.0/24");

    IngressResult first = network.authorizeIngress(REGION, List.of(sg), 5432, cidrs);
    assertThat(first.added())
        .containsExactly(
            sg + " tcp/5432 from 203.0.113.10/32", sg + " tcp/5432 from 198.51.100.0/24");
    assertThat(first.alreadyPresent()).isEmpty();

    IngressResult second = network.authorizeIngress(REGION, List.of(sg), 5432, cidrs);
    assertThat(second.added()).isEmpty();
    assertThat(second.alreadyPresent()).hasSize(2);
    assertThat(rules(sg))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.ipRanges()).hasSize(2);
              assertThat(p.ipRanges())
                  .allSatisfy(
                      r ->
                          assertThat(r.description())
                              .isEqualTo(NetworkActivitiesImpl.RULE_DESCRIPTION));
            });
  }

  @Test
  void keepsRulesSomeoneElseAddedAndAddsTheRest() {
    String sg = groupId("other-sg");
    aws.ec2(REGION)
        .authorizeSecurityGroupIngress(
            b ->
                b.groupId(sg)
                    .ipPermissions(
                        IpPermission.builder()
                            .ipProtocol("tcp")
                            .fromPort(5000)
                            .toPort(6000)
                            .ipRanges(r -> r.cidrIp("192.0.2.1/32"))
                            .build()));
    IngressResult r =
        network.authorizeIngress(
            REGION, List.of(sg), 5432, List.of("192.0.2.1/32", "192.0.2.2/32"));
    assertThat(r.alreadyPresent()).containsExactly(sg + " tcp/5432 from 192.0.2.1/32");
    assertThat(r.added()).containsExactly(sg + " tcp/5432 from 192.0.2.2/32");
  }

  @Test
  void anUnknownGroupIsANonRetryableFailureNamingIt() {
    assertThatThrownBy(
            () ->
                network.authorizeIngress(
                    REGION, List.of("sg-0123456789abcdef0"), 5432, List.of("192.0.2.1/32")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo("SecurityGroup");
              assertThat(f.getOriginalMessage()).contains("sg-0123456789abcdef0");
            });
  }

  @Test
  void ipv6RangesGoToIpv6RangesAndAreRecognisedOnTheSecondRun() {
    String sg = groupId("v6-sg");
    List<String> cidrs = List.of("203.0.113.7/32", "2600:1f18:abcd::/56");

    IngressResult first = network.authorizeIngress(REGION, List.of(sg), 5432, cidrs);
    assertThat(first.added()).hasSize(2);
    assertThat(rules(sg))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.ipRanges())
                  .extracting(r -> r.cidrIp())
                  .containsExactly("203.0.113.7/32");
              assertThat(p.ipv6Ranges())
                  .extracting(r -> r.cidrIpv6())
                  .containsExactly("2600:1f18:abcd::/56");
            });

    IngressResult second = network.authorizeIngress(REGION, List.of(sg), 5432, cidrs);
    assertThat(second.added()).isEmpty();
    assertThat(second.alreadyPresent()).hasSize(2);
  }

  @Test
  void theInternetAndBroadRangesAreRefusedBeforeAnyRuleIsAdded() {
    String sg = groupId("guarded-sg");
    for (String cidr : List.of("0.0.0.0/0", "::/0", "10.0.0.0/16", "2600:1f18::/40")) {
      assertThatThrownBy(
              () ->
                  network.authorizeIngress(
                      REGION, List.of(sg), 5432, List.of("203.0.113.9/32", cidr)))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.isNonRetryable()).isTrue();
                assertThat(f.getOriginalMessage()).contains(cidr);
              });
    }
    assertThat(rules(sg)).isEmpty();

    NetworkActivitiesImpl loose =
        new NetworkActivitiesImpl(aws, new dev.onramp.workflows.EgressCidrGuard(16, 48));
    assertThat(loose.authorizeIngress(REGION, List.of(sg), 5432, List.of("10.0.0.0/16")).added())
        .hasSize(1);
  }
}
