package dev.onramp.activities.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.activities.aws.ManagedResource;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.Ownership;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The Secrets Manager secret holding the replication user's generated password, marked as onramp's
 * with the tag {@code managed-by=onramp} (and region, instance, user). Passwords are generated here
 * and go straight into Secrets Manager; only ARNs leave this class, and nothing secret is logged.
 */
public final class ReplicationSecretResource
    implements ManagedResource<ReplicationSecretRequest, Optional<DescribeSecretResponse>> {
  private static final Logger log = LoggerFactory.getLogger(ReplicationSecretResource.class);

  /**
   * Offboarding deletes with the shortest recovery window Secrets Manager allows (7 to 30 days; 30
   * when not given, DeleteSecret API reference): a mistake can still be undone with RestoreSecret,
   * and the name is free again a week later.
   */
  static final long RECOVERY_WINDOW_DAYS = 7;

  private final SecretsManagerClient sm;
  private final String region;

  public ReplicationSecretResource(SecretsManagerClient sm, String region) {
    this.sm = sm;
    this.region = region;
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.REPLICATION_SECRET;
  }

  @Override
  public Optional<DescribeSecretResponse> inspect(ReplicationSecretRequest wanted) {
    return Optional.ofNullable(describe(wanted.secretName()));
  }

  @Override
  public PlannedChange plan(ReplicationSecretRequest wanted) {
    DescribeSecretResponse d = inspect(wanted).orElse(null);
    String name = wanted.secretName();
    if (d == null) {
      return new PlannedChange(
          kind(), name, PlanAction.CREATE, "no secret " + name + "; a password is generated");
    }
    OnrampSecretTags.refuseForeign(d, wanted.username());
    if (d.deletedDate() != null) {
      return new PlannedChange(
          kind(),
          name,
          PlanAction.CHANGE,
          "onramp's secret "
              + name
              + " is scheduled for deletion on "
              + d.deletedDate()
              + "; it is restored and reused");
    }
    return new PlannedChange(
        kind(),
        name,
        PlanAction.REUSE,
        "onramp's secret " + name + " exists; its password is kept");
  }

  @Override
  public LedgerEntry converge(ReplicationSecretRequest wanted) {
    return converge(wanted, true);
  }

  /**
   * Makes sure the secret holds {@code {"username": .., "password": ..}} for the user: creates it
   * (CREATED), reuses onramp's as it is (REUSED: other databases on the instance log in with that
   * password), or repairs onramp's secret that lost its password (CHANGED). Onramp's secret
   * scheduled for deletion is restored first when {@code restoreScheduled} (CHANGED, previous
   * {@code scheduled for deletion}), and refused otherwise, as before the resource model. A secret
   * that is not onramp's or is another user's is refused ({@code ForeignObject}) and left
   * untouched.
   */
  LedgerEntry converge(ReplicationSecretRequest wanted, boolean restoreScheduled) {
    String name = wanted.secretName();
    String username = wanted.username();
    String restored = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      DescribeSecretResponse described = describe(name);
      if (described == null) {
        try {
          String arn =
              sm.createSecret(
                      b ->
                          b.name(name)
                              .description("onramp: replication user " + username)
                              .secretString(
                                  ReplicationPassword.json(
                                      username, ReplicationPassword.generatePassword()))
                              // Tagged in the same call: there is no moment at which the
                              // secret exists unmarked.
                              .tags(OnrampSecretTags.tags(region, wanted.dbInstanceId(), username)))
                  .arn();
          log.info("created secret {} for replication user {}", arn, username);
          return entry(name, arn, Outcome.CREATED, null);
        } catch (ResourceExistsException raced) {
          continue; // created by a concurrent attempt: read it
        } catch (InvalidRequestException e) {
          // CreateSecret's answer for a name whose secret is scheduled for deletion (since the
          // DescribeSecret above): read it again. Anything else it means is a real refusal.
          if (describe(name) == null) {
            throw AwsFailures.translate("CreateSecret " + name, e);
          }
          continue;
        } catch (SecretsManagerException e) {
          throw AwsFailures.translate("CreateSecret " + name, e);
        }
      }
      if (described.deletedDate() != null
          && !(restoreScheduled && OnrampSecretTags.isOnramps(described))) {
        throw scheduledForDeletion(name, null);
      }
      OnrampSecretTags.refuseForeign(described, username);
      if (described.deletedDate() != null) {
        try {
          sm.restoreSecret(b -> b.secretId(described.arn()));
          log.info("restored secret {}, which was scheduled for deletion", described.arn());
          restored = "scheduled for deletion on " + described.deletedDate();
        } catch (SecretsManagerException e) {
          throw AwsFailures.translate("RestoreSecret " + name, e);
        }
        continue;
      }
      GetSecretValueResponse existing = read(name);
      if (existing == null) {
        continue; // deleted since DescribeSecret: create it
      }
      JsonNode node = ReplicationPassword.parse(existing.secretString());
      String password =
          node != null && node.hasNonNull("password") ? node.get("password").asText() : null;
      String storedUser =
          node != null && node.hasNonNull("username") ? node.get("username").asText() : null;
      if (storedUser != null && !username.equals(storedUser)) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.FOREIGN_OBJECT,
            "secret "
                + name
                + " holds the password of user "
                + storedUser
                + ", not "
                + username
                + "; another onboarding uses it. Choose another replicationPasswordSecret (the"
                + " default is one per instance and user)");
      }
      if (password != null && !password.isEmpty()) {
        // Reused as it is: other databases on the instance log in with this password.
        return restored == null
            ? entry(name, existing.arn(), Outcome.REUSED, null)
            : entry(name, existing.arn(), Outcome.CHANGED, restored);
      }
      // onramp's own secret, but without a password (damaged by hand): a new version repairs it.
      try {
        sm.putSecretValue(
            b ->
                b.secretId(existing.arn())
                    .secretString(
                        ReplicationPassword.json(
                            username, ReplicationPassword.generatePassword())));
        log.info("updated secret {} for replication user {}", existing.arn(), username);
      } catch (SecretsManagerException e) {
        throw AwsFailures.translate("PutSecretValue " + name, e);
      }
      return entry(
          name,
          existing.arn(),
          Outcome.CHANGED,
          restored == null ? "no password" : restored + ", no password");
    }
    throw new IllegalStateException("secret " + name + " keeps appearing and vanishing");
  }

  private static LedgerEntry entry(String name, String arn, Outcome outcome, String previous) {
    return new LedgerEntry(
        ResourceKind.REPLICATION_SECRET, name, outcome, previous, Map.of("arn", arn));
  }

  @Override
  public List<Finding> drift(ReplicationSecretRequest wanted) {
    DescribeSecretResponse d = describe(wanted.secretName());
    String name = wanted.secretName();
    if (d == null) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              name,
              "the secret holding the replication password is gone",
              "run onramp again for this database: it creates the secret with a new password and"
                  + " sets it on the replication user"));
    }
    if (d.deletedDate() != null) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              name,
              "the secret is scheduled for deletion on " + d.deletedDate(),
              "aws secretsmanager restore-secret --region " + region + " --secret-id " + d.arn()));
    }
    return List.of();
  }

  /**
   * Schedules the deletion of onramp's secret (recovery window {@value #RECOVERY_WINDOW_DAYS}
   * days); a secret without onramp's tag is kept, whatever the ledger says.
   */
  @Override
  public Removal remove(LedgerEntry entry) {
    DescribeSecretResponse d = describe(entry.identifier());
    if (d == null) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the secret no longer exists");
    }
    if (d.deletedDate() != null) {
      return Removal.of(
          entry,
          RemovalOutcome.ALREADY_GONE,
          "the secret is already scheduled for deletion on " + d.deletedDate());
    }
    if (!OnrampSecretTags.isOnramps(d)) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_NOT_OURS,
          "the secret has no tag "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "; onramp deletes only secrets it created");
    }
    if (!isFrom(entry, d)) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "the secret was deleted and made again since onboarding (its ARN is now "
              + d.arn()
              + "); left in place");
    }
    try {
      var deleted =
          sm.deleteSecret(b -> b.secretId(d.arn()).recoveryWindowInDays(RECOVERY_WINDOW_DAYS));
      log.info("scheduled secret {} for deletion on {}", d.arn(), deleted.deletionDate());
      return Removal.of(
          entry,
          RemovalOutcome.REMOVED,
          "scheduled for deletion on "
              + deleted.deletionDate()
              + " (until then: aws secretsmanager restore-secret --region "
              + region
              + " --secret-id "
              + d.arn()
              + ")");
    } catch (ResourceNotFoundException e) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the secret no longer exists");
    } catch (InvalidRequestException e) {
      return Removal.of(
          entry, RemovalOutcome.ALREADY_GONE, "the secret was scheduled for deletion meanwhile");
    } catch (SecretsManagerException e) {
      throw AwsFailures.translate("DeleteSecret " + entry.identifier(), e);
    }
  }

  /** The entry's ARN (when it has one) is the secret's: not a namesake made since. */
  private static boolean isFrom(LedgerEntry entry, DescribeSecretResponse d) {
    String arn = entry.attribute("arn");
    return arn == null || arn.equals(d.arn());
  }

  /** DescribeSecret, or null when there is no such secret. */
  DescribeSecretResponse describe(String secretName) {
    try {
      return sm.describeSecret(b -> b.secretId(secretName));
    } catch (ResourceNotFoundException e) {
      return null;
    } catch (SecretsManagerException e) {
      throw AwsFailures.translate("DescribeSecret " + secretName, e);
    }
  }

  static RuntimeException scheduledForDeletion(String secretName, SecretsManagerException e) {
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.SECRET_NOT_FOUND,
        "secret "
            + secretName
            + " is scheduled for deletion"
            + (e == null ? "" : " (" + AwsFailures.message(e) + ")")
            + "; restore it with RestoreSecret or choose another replicationPasswordSecret",
        e);
  }

  private GetSecretValueResponse read(String secretName) {
    try {
      return sm.getSecretValue(b -> b.secretId(secretName));
    } catch (ResourceNotFoundException e) {
      return null;
    } catch (InvalidRequestException e) {
      throw scheduledForDeletion(secretName, e);
    } catch (SecretsManagerException e) {
      throw AwsFailures.translate("GetSecretValue " + secretName, e);
    }
  }
}
