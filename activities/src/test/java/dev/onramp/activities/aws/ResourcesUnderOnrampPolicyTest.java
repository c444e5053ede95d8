package dev.onramp.activities.aws;

import static dev.onramp.activities.aws.EmulatorAws.poll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.network.IngressRemoval;
import dev.onramp.activities.network.IngressRequest;
import dev.onramp.activities.network.NetworkActivitiesImpl;
import dev.onramp.activities.rds.AssociationRequest;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.ParameterGroupPlan;
import dev.onramp.activities.rds.ParameterGroupRemoval;
import dev.onramp.activities.rds.ParameterGroupRequest;
import dev.onramp.activities.rds.RdsActivitiesImpl;
import dev.onramp.activities.secrets.ReplicationSecret;
import dev.onramp.activities.secrets.ReplicationSecretRequest;
import dev.onramp.activities.secrets.SecretRemoval;
import dev.onramp.activities.secrets.SecretsActivitiesImpl;
import dev.onramp.activities.secrets.SecretsManagerCredentialResolver;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.rds.Timings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Converging and removing every AWS resource with the emulator enforcing iam/onramp-policy.json:
 * the policy grants the removal calls (DeleteDBParameterGroup, RevokeSecurityGroupIngress,
 * DeleteSecret, RestoreSecret) on what onramp creates, and nothing else is needed.
 */
class ResourcesUnderOnrampPolicyTest {
  private static final String REGION = "us-east-1";

  @Test
  void onboardingAndOffboardingTheAwsResourcesNeedNothingBeyondThePolicy() throws Exception {
    try (AwsEmulator emulator =
            AwsEmulator.builder()
                .timings(Timings.all(Duration.ofMillis(200)))
                .instance(DbInstanceSpec.builder("policy-db").build())
                .iamPolicy(Path.of("..", "iam", "onramp-policy.json"))
                .start();
        AwsClients aws = EmulatorAws.clients(emulator)) {
      RdsActivitiesImpl rds = new RdsActivitiesImpl(aws);
      NetworkActivitiesImpl network = new NetworkActivitiesImpl(aws);
      SecretsActivitiesImpl secrets =
          new SecretsActivitiesImpl(aws, new SecretsManagerCredentialResolver(aws, Map.of()));
      DbInstanceInfo instance = rds.describeInstance(REGION, "policy-db");

      ParameterGroupPlan plan = rds.planParameterGroup(REGION, "policy-db");
      LedgerEntry group = rds.convergeParameterGroup(new ParameterGroupRequest(REGION, plan));
      LedgerEntry association =
          rds.convergeAssociation(
              new AssociationRequest(REGION, "policy-db", plan.targetGroup(), false));
      poll(() -> rds.checkAssociated(REGION, "policy-db", plan.targetGroup()));
      IngressRequest ingress =
          new IngressRequest(REGION, instance.securityGroupIds(), 5432, List.of("192.0.2.1/32"));
      List<LedgerEntry> rules = network.convergeIngress(ingress);
      ReplicationSecretRequest secretRequest =
          new ReplicationSecretRequest(REGION, "policy-db", "onramp/policy-db/mz", "mz_repl");
      ReplicationSecret secret = secrets.convergeReplicationSecret(secretRequest);
      assertThat(List.of(group.outcome(), association.outcome(), secret.entry().outcome()))
          .containsExactly(Outcome.CREATED, Outcome.CHANGED, Outcome.CREATED);
      assertThat(rules).extracting(LedgerEntry::outcome).containsOnly(Outcome.CREATED);

      assertThat(network.removeIngress(new IngressRemoval(REGION, rules)))
          .extracting(Removal::outcome)
          .containsOnly(RemovalOutcome.REMOVED);
      assertThat(
              secrets.removeReplicationSecret(new SecretRemoval(REGION, secret.entry())).outcome())
          .isEqualTo(RemovalOutcome.REMOVED);
      // Onboarded again within the recovery window: RestoreSecret.
      assertThat(secrets.convergeReplicationSecret(secretRequest).entry().outcome())
          .isEqualTo(Outcome.CHANGED);
      rds.convergeAssociation(
          new AssociationRequest(REGION, "policy-db", association.previous(), false));
      poll(() -> rds.checkAssociated(REGION, "policy-db", association.previous()));
      assertThat(
              rds.removeParameterGroup(new ParameterGroupRemoval(REGION, "policy-db", group))
                  .outcome())
          .isEqualTo(RemovalOutcome.REMOVED);
    }
  }
}
