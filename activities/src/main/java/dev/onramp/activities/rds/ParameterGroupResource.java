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
import dev.onramp.workflows.Ownership;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The DB parameter group that sets {@code rds.logical_replication=1} for an instance. Facts it
 * relies on (shared/reference/aws-rds.md): default groups cannot be modified, the parameter is
 * static (pending-reboot only), and a group in use by an instance cannot be deleted ({@code
 * InvalidDBParameterGroupState}). onramp's groups are named {@code onramp-*} and tagged {@code
 * managed-by=onramp} in the call that makes them.
 */
public final class ParameterGroupResource
    implements ManagedResource<ParameterGroupPlan, ParameterGroupResource.Seen> {
  private static final Logger log = LoggerFactory.getLogger(ParameterGroupResource.class);
  private static final String PARAMETER = ParameterGroups.PARAMETER;

  /** The target group now: whether it exists, its family, whether onramp's, the value set. */
  public record Seen(boolean exists, String family, boolean onramps, String value) {}

  private final RdsClient rds;
  private final String region;
  private final DbInstances instances;
  private final ParameterGroups groups;

  public ParameterGroupResource(RdsClient rds, String region) {
    this.rds = rds;
    this.region = region;
    this.instances = new DbInstances(rds, region);
    this.groups = new ParameterGroups(rds, region);
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.PARAMETER_GROUP;
  }

  @Override
  public Seen inspect(ParameterGroupPlan plan) {
    Optional<DBParameterGroup> g = groups.find(plan.targetGroup());
    return g.map(
            x ->
                new Seen(
                    true,
                    x.dbParameterGroupFamily(),
                    groups.isOnramps(x),
                    groups.parameterValue(x.dbParameterGroupName()).orElse(null)))
        .orElse(new Seen(false, null, false, null));
  }

  @Override
  public PlannedChange plan(ParameterGroupPlan plan) {
    PlanAction action =
        switch (plan.action()) {
          case ALREADY_SET -> PlanAction.REUSE;
          case CREATE, COPY -> PlanAction.CREATE;
          case MODIFY_IN_PLACE -> PlanAction.CHANGE;
        };
    return new PlannedChange(kind(), plan.targetGroup(), action, plan.reason());
  }

  /**
   * Carries out the plan: CREATE / COPY give CREATED with {@code previous} the source group (also
   * when a retry finds the group its first attempt made: it is onramp's, tagged); MODIFY_IN_PLACE
   * gives CHANGED with {@code previous} the parameter's value before ({@code 0}, RDS's default,
   * when a retry finds it set already); ALREADY_SET gives REUSED.
   */
  @Override
  public LedgerEntry converge(ParameterGroupPlan plan) {
    String target = plan.targetGroup();
    switch (plan.action()) {
      case ALREADY_SET -> {
        return LedgerEntry.reused(kind(), target);
      }
      case CREATE -> {
        try {
          rds.createDBParameterGroup(
              b ->
                  b.dbParameterGroupName(target)
                      .dbParameterGroupFamily(plan.family())
                      .description("onramp: logical replication (from " + plan.currentGroup() + ")")
                      .tags(ownershipTags(plan)));
          log.info("created DB parameter group {} ({})", target, plan.family());
        } catch (DbParameterGroupAlreadyExistsException e) {
          groups.checkFamily(target, plan.family());
          groups.refuseForeignGroup(target);
        } catch (RdsException e) {
          throw failure("CreateDBParameterGroup " + target, e);
        }
      }
      case COPY -> {
        try {
          rds.copyDBParameterGroup(
              b ->
                  b.sourceDBParameterGroupIdentifier(plan.currentGroup())
                      .targetDBParameterGroupIdentifier(target)
                      .targetDBParameterGroupDescription(
                          "onramp: copy of " + plan.currentGroup() + " with logical replication")
                      .tags(ownershipTags(plan)));
          log.info("copied DB parameter group {} to {}", plan.currentGroup(), target);
        } catch (DbParameterGroupAlreadyExistsException e) {
          groups.checkFamily(target, plan.family());
          groups.refuseForeignGroup(target);
        } catch (RdsException e) {
          throw failure("CopyDBParameterGroup " + plan.currentGroup() + " to " + target, e);
        }
      }
      case MODIFY_IN_PLACE -> {}
    }
    // Setting the same value again would put instances using the group back to pending-reboot,
    // so look first.
    String before = groups.parameterValue(target).orElse(null);
    if (!"1".equals(before)) {
      setParameter(target);
    }
    return plan.action() == ParameterGroupPlan.Action.MODIFY_IN_PLACE
        ? LedgerEntry.changed(
            kind(), target, PARAMETER + "=" + (before == null || "1".equals(before) ? "0" : before))
        : new LedgerEntry(
            kind(), target, Outcome.CREATED, plan.currentGroup(), Map.of("family", plan.family()));
  }

  private void setParameter(String target) {
    try {
      rds.modifyDBParameterGroup(
          b ->
              b.dbParameterGroupName(target)
                  .parameters(
                      Parameter.builder()
                          .parameterName(PARAMETER)
                          .parameterValue("1")
                          // Static parameter: RDS refuses "immediate".
                          .applyMethod(ApplyMethod.PENDING_REBOOT)
                          .build()));
      log.info("set {}=1 (pending-reboot) in {}", PARAMETER, target);
    } catch (RdsException e) {
      throw failure("ModifyDBParameterGroup " + target, e);
    }
  }

  @Override
  public List<Finding> drift(ParameterGroupPlan plan) {
    Seen seen = inspect(plan);
    String target = plan.targetGroup();
    if (!seen.exists()) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              target,
              "the parameter group is gone",
              "run onramp again for this database: it makes the group again (a reboot follows)"));
    }
    if (!"1".equals(seen.value())) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              target,
              PARAMETER
                  + " is "
                  + seen.value()
                  + ", not 1: logical replication stops at the next reboot",
              "aws rds modify-db-parameter-group --region "
                  + region
                  + " --db-parameter-group-name "
                  + target
                  + " --parameters"
                  + " ParameterName=rds.logical_replication,ParameterValue=1,"
                  + "ApplyMethod=pending-reboot"));
    }
    return List.of();
  }

  /**
   * Deletes the group when onramp made it (named {@code onramp-*} and tagged; a REUSED entry of
   * such a group is onramp's too, from an earlier run) and no instance uses it any longer; any
   * other group is kept, with the reason. A CHANGED entry is onramp's own group, changed in place:
   * it is deleted on the same terms.
   */
  @Override
  public Removal remove(LedgerEntry entry) {
    String name = entry.identifier();
    Optional<DBParameterGroup> g = groups.find(name);
    if (g.isEmpty()) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the parameter group no longer exists");
    }
    if (!groups.isOnramps(g.get())) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_NOT_OURS,
          name
              + " was not created by onramp (it is not named onramp-* with the tag "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "); left in place");
    }
    List<String> users = instances.using(name, null);
    if (!users.isEmpty()) {
      return inUse(entry, users);
    }
    try {
      rds.deleteDBParameterGroup(b -> b.dbParameterGroupName(name));
      log.info("deleted DB parameter group {}", name);
      return Removal.of(entry, RemovalOutcome.REMOVED, "deleted");
    } catch (DbParameterGroupNotFoundException e) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the parameter group no longer exists");
    } catch (RdsException e) {
      if ("InvalidDBParameterGroupState".equals(AwsFailures.code(e))) {
        // An instance moved onto it since the describe (RDS: "One or more database instances are
        // still members of this parameter group").
        List<String> now = instances.using(name, null);
        if (!now.isEmpty()) {
          return inUse(entry, now);
        }
      }
      throw AwsFailures.translate("DeleteDBParameterGroup " + name, e);
    }
  }

  /**
   * Kept, not left over: RDS refuses to delete a group an instance uses, and whether the instance
   * goes back to its previous group is the offboarding's choice (a reboot), not a failure to retry.
   */
  private Removal inUse(LedgerEntry entry, List<String> users) {
    return Removal.of(
        entry,
        RemovalOutcome.KEPT_CHANGED,
        entry.identifier()
            + " is still used by "
            + String.join(", ", users)
            + "; once no instance uses it (re-associate "
            + String.join(", ", users)
            + " with another group and reboot), delete it: aws rds delete-db-parameter-group"
            + " --region "
            + region
            + " --db-parameter-group-name "
            + entry.identifier());
  }

  /**
   * Tags on the group onramp creates, set in the same Create/Copy call (so it never exists
   * unmarked); a copy does not inherit the source group's tags. {@code onramp:source-group} says
   * where the instance came from, for the association's ledger entry and offboarding.
   */
  private List<Tag> ownershipTags(ParameterGroupPlan plan) {
    return List.of(
        Tag.builder().key(Ownership.TAG_KEY).value(Ownership.TAG_VALUE).build(),
        Tag.builder().key(Ownership.REGION_TAG).value(region).build(),
        Tag.builder().key(ParameterGroups.SOURCE_GROUP_TAG).value(plan.currentGroup()).build());
  }

  private static RuntimeException failure(String action, RdsException e) {
    if (AwsFailures.isRetryable(e) || e.statusCode() == 403) {
      return AwsFailures.translate(action, e);
    }
    String code = AwsFailures.code(e);
    String fix =
        switch (code) {
          case "DBParameterGroupQuotaExceeded" ->
              "; delete unused DB parameter groups or raise the quota, then run onramp again";
          case "InvalidParameterValue", "InvalidParameterCombination" ->
              "; RDS refused the change to the group";
          default -> "";
        };
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.PARAMETER_GROUP,
        action + " failed: " + code + ": " + AwsFailures.message(e) + fix,
        e);
  }
}
