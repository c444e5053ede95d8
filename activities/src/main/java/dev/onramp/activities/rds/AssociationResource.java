package dev.onramp.activities.rds;

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
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * Which parameter group an instance uses. Changing it is ModifyDBInstance with ApplyImmediately
 * (the group applies at the next reboot, which the workflow asks for through its gate). The ledger
 * entry's {@code previous} is the group the instance left, so offboarding can put it back.
 */
public final class AssociationResource
    implements ManagedResource<AssociationRequest, DbInstanceInfo> {
  private static final Logger log = LoggerFactory.getLogger(AssociationResource.class);

  private final RdsClient rds;
  private final String region;
  private final DbInstances instances;
  private final ParameterGroups groups;

  public AssociationResource(RdsClient rds, String region) {
    this.rds = rds;
    this.region = region;
    this.instances = new DbInstances(rds, region);
    this.groups = new ParameterGroups(rds, region);
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.PARAMETER_GROUP_ASSOCIATION;
  }

  @Override
  public DbInstanceInfo inspect(AssociationRequest wanted) {
    return instances.describe(wanted.dbInstanceId());
  }

  @Override
  public PlannedChange plan(AssociationRequest wanted) {
    DbInstanceInfo i = inspect(wanted);
    if (wanted.parameterGroup().equals(i.parameterGroup())) {
      return new PlannedChange(
          kind(),
          wanted.dbInstanceId(),
          PlanAction.REUSE,
          "the instance already uses " + wanted.parameterGroup());
    }
    return new PlannedChange(
        kind(),
        wanted.dbInstanceId(),
        PlanAction.CHANGE,
        "the instance uses "
            + i.parameterGroup()
            + "; it moves to "
            + wanted.parameterGroup()
            + ", which applies at a reboot");
  }

  /**
   * Associates the group: CHANGED, {@code previous} the group the instance left. An instance
   * already on it gives REUSED; when that group is onramp's, {@code previous} is still the group it
   * was made from (its {@code onramp:source-group} tag), because onramp moved the instance there
   * (in an earlier attempt or run) and offboarding needs the way back.
   */
  @Override
  public LedgerEntry converge(AssociationRequest wanted) {
    String id = wanted.dbInstanceId();
    String group = wanted.parameterGroup();
    DbInstanceInfo i = inspect(wanted);
    if (group.equals(i.parameterGroup())) {
      return entry(id, group, Outcome.REUSED, sourceGroup(group));
    }
    modify(i, group, wanted.applyPendingModifications());
    return entry(id, group, Outcome.CHANGED, i.parameterGroup());
  }

  private LedgerEntry entry(String id, String group, Outcome outcome, String previous) {
    return new LedgerEntry(kind(), id, outcome, previous, Map.of("parameterGroup", group));
  }

  /** The group onramp's {@code group} was made from, or null when it is not onramp's. */
  private String sourceGroup(String group) {
    Map<String, String> tags = groups.onrampTags(group);
    String source = tags.get(ParameterGroups.SOURCE_GROUP_TAG);
    return source == null || source.equals(group) ? null : source;
  }

  private void modify(DbInstanceInfo i, String group, boolean applyPendingModifications) {
    String id = i.dbInstanceId();
    if (!i.pending().isEmpty() && !applyPendingModifications) {
      // ApplyImmediately=true would apply these along with the group (RDS API reference,
      // ModifyDBInstance ApplyImmediately): someone's queued class change is not ours to apply.
      throw RdsActivitiesImpl.pendingModificationsFailure(id, i.pending());
    }
    try {
      rds.modifyDBInstance(
          b -> b.dbInstanceIdentifier(id).dbParameterGroupName(group).applyImmediately(true));
      log.info("associated {} with {}", group, id);
    } catch (RdsException e) {
      String code = AwsFailures.code(e);
      // InvalidDBInstanceState (busy with a backup or another operation) is retried by the
      // translation below (AwsFailures.RDS).
      if (code.equals("DBParameterGroupNotFound") || code.equals("InvalidParameterCombination")) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.PARAMETER_GROUP,
            "cannot associate " + group + " with " + id + ": " + AwsFailures.message(e),
            e);
      }
      throw AwsFailures.translate("ModifyDBInstance " + id, e);
    }
  }

  @Override
  public List<Finding> drift(AssociationRequest wanted) {
    DbInstanceInfo i = inspect(wanted);
    if (wanted.parameterGroup().equals(i.parameterGroup())) {
      return List.of();
    }
    return List.of(
        new Finding(
            Severity.CRITICAL,
            kind(),
            wanted.dbInstanceId(),
            "the instance uses "
                + i.parameterGroup()
                + ", not "
                + wanted.parameterGroup()
                + ": logical replication stops at its next reboot",
            "aws rds modify-db-instance --region "
                + region
                + " --db-instance-identifier "
                + wanted.dbInstanceId()
                + " --db-parameter-group-name "
                + wanted.parameterGroup()
                + " --apply-immediately (then reboot the instance when convenient)"));
  }

  /**
   * Puts the instance back on {@code previous} (ModifyDBInstance; it applies at the next reboot,
   * which the offboarding workflow asks for through the gate). The instance on neither onramp's
   * group nor {@code previous} was moved by someone since: kept.
   */
  @Override
  public Removal remove(LedgerEntry entry) {
    String previous = entry.previous();
    if (previous == null) {
      return Removal.of(entry, RemovalOutcome.KEPT_NOT_OURS, "onramp did not move the instance");
    }
    DbInstanceInfo i = instances.describe(entry.identifier());
    if (previous.equals(i.parameterGroup())) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the instance uses " + previous);
    }
    String ours = entry.attribute("parameterGroup");
    if (ours != null && !ours.equals(i.parameterGroup())) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "the instance now uses "
              + i.parameterGroup()
              + ", set since onboarding; not moved back to "
              + previous);
    }
    modify(i, previous, false);
    return Removal.of(
        entry,
        RemovalOutcome.RESTORED,
        "re-associated " + previous + "; it applies at the instance's next reboot");
  }
}
