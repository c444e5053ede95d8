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
import software.amazon.awssdk.services.rds.model.DBClusterParameterGroup;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The DB cluster parameter group that sets {@code rds.logical_replication=1} for an Aurora
 * PostgreSQL cluster: the Aurora twin of {@link ParameterGroupResource}, with the cluster group
 * calls (Create/Copy/Modify/DeleteDBClusterParameterGroup). Its ledger entries are {@link
 * ResourceKind#PARAMETER_GROUP} with the attribute {@code scope=cluster}, so offboarding and
 * re-verification find their way back to the cluster group.
 */
public final class ClusterParameterGroupResource
    implements ManagedResource<ParameterGroupPlan, ParameterGroupResource.Seen> {
  private static final Logger log = LoggerFactory.getLogger(ClusterParameterGroupResource.class);
  private static final String PARAMETER = ParameterGroups.PARAMETER;

  /** The ledger attribute that marks a cluster parameter group entry. */
  static final String SCOPE = "scope";

  static final String CLUSTER_SCOPE = "cluster";

  private final RdsClient rds;
  private final String region;
  private final ClusterParameterGroups groups;
  private final DbClusters clusters;

  public ClusterParameterGroupResource(RdsClient rds, String region) {
    this.rds = rds;
    this.region = region;
    this.groups = new ClusterParameterGroups(rds, region);
    this.clusters = new DbClusters(rds, region);
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.PARAMETER_GROUP;
  }

  @Override
  public ParameterGroupResource.Seen inspect(ParameterGroupPlan plan) {
    Optional<DBClusterParameterGroup> g = groups.find(plan.targetGroup());
    return g.map(
            x ->
                new ParameterGroupResource.Seen(
                    true,
                    x.dbParameterGroupFamily(),
                    groups.isOnramps(x),
                    groups.parameterValue(x.dbClusterParameterGroupName()).orElse(null)))
        .orElse(new ParameterGroupResource.Seen(false, null, false, null));
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

  /** As {@link ParameterGroupResource#converge}, on the cluster group. */
  @Override
  public LedgerEntry converge(ParameterGroupPlan plan) {
    String target = plan.targetGroup();
    switch (plan.action()) {
      case ALREADY_SET -> {
        return LedgerEntry.reused(kind(), target).withAttributes(Map.of(SCOPE, CLUSTER_SCOPE));
      }
      case CREATE -> {
        try {
          rds.createDBClusterParameterGroup(
              b ->
                  b.dbClusterParameterGroupName(target)
                      .dbParameterGroupFamily(plan.family())
                      .description("onramp: logical replication (from " + plan.currentGroup() + ")")
                      .tags(ownershipTags(plan)));
          log.info("created DB cluster parameter group {} ({})", target, plan.family());
        } catch (DbParameterGroupAlreadyExistsException e) {
          groups.checkFamily(target, plan.family());
          groups.refuseForeignGroup(target);
        } catch (RdsException e) {
          throw failure("CreateDBClusterParameterGroup " + target, e);
        }
      }
      case COPY -> {
        try {
          rds.copyDBClusterParameterGroup(
              b ->
                  b.sourceDBClusterParameterGroupIdentifier(plan.currentGroup())
                      .targetDBClusterParameterGroupIdentifier(target)
                      .targetDBClusterParameterGroupDescription(
                          "onramp: copy of " + plan.currentGroup() + " with logical replication")
                      .tags(ownershipTags(plan)));
          log.info("copied DB cluster parameter group {} to {}", plan.currentGroup(), target);
        } catch (DbParameterGroupAlreadyExistsException e) {
          groups.checkFamily(target, plan.family());
          groups.refuseForeignGroup(target);
        } catch (RdsException e) {
          throw failure("CopyDBClusterParameterGroup " + plan.currentGroup() + " to " + target, e);
        }
      }
      case MODIFY_IN_PLACE -> {}
    }
    // Setting the same value again would put the members back to pending-reboot: look first.
    String before = groups.parameterValue(target).orElse(null);
    if (!"1".equals(before)) {
      setParameter(target);
    }
    Map<String, String> attributes = Map.of("family", plan.family(), SCOPE, CLUSTER_SCOPE);
    return plan.action() == ParameterGroupPlan.Action.MODIFY_IN_PLACE
        ? LedgerEntry.changed(
                kind(),
                target,
                PARAMETER + "=" + (before == null || "1".equals(before) ? "0" : before))
            .withAttributes(attributes)
        : new LedgerEntry(kind(), target, Outcome.CREATED, plan.currentGroup(), attributes);
  }

  private void setParameter(String target) {
    try {
      rds.modifyDBClusterParameterGroup(
          b ->
              b.dbClusterParameterGroupName(target)
                  .parameters(
                      Parameter.builder()
                          .parameterName(PARAMETER)
                          .parameterValue("1")
                          // Static parameter: RDS refuses "immediate".
                          .applyMethod(ApplyMethod.PENDING_REBOOT)
                          .build()));
      log.info("set {}=1 (pending-reboot) in cluster group {}", PARAMETER, target);
    } catch (RdsException e) {
      throw failure("ModifyDBClusterParameterGroup " + target, e);
    }
  }

  @Override
  public List<Finding> drift(ParameterGroupPlan plan) {
    ParameterGroupResource.Seen seen = inspect(plan);
    String target = plan.targetGroup();
    if (!seen.exists()) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              target,
              "the cluster parameter group is gone",
              "run onramp again for this database: it makes the group again (a reboot of the"
                  + " writer follows)"));
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
                  + ", not 1: logical replication stops at the writer's next reboot",
              "aws rds modify-db-cluster-parameter-group --region "
                  + region
                  + " --db-cluster-parameter-group-name "
                  + target
                  + " --parameters"
                  + " ParameterName=rds.logical_replication,ParameterValue=1,"
                  + "ApplyMethod=pending-reboot"));
    }
    return List.of();
  }

  /** Deletes the cluster group when onramp made it and no cluster uses it; else says why not. */
  @Override
  public Removal remove(LedgerEntry entry) {
    String name = entry.identifier();
    Optional<DBClusterParameterGroup> g = groups.find(name);
    if (g.isEmpty()) {
      return Removal.of(
          entry, RemovalOutcome.ALREADY_GONE, "the cluster parameter group no longer exists");
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
    List<String> users = clusters.using(name, null);
    if (!users.isEmpty()) {
      return inUse(entry, users);
    }
    try {
      rds.deleteDBClusterParameterGroup(b -> b.dbClusterParameterGroupName(name));
      log.info("deleted DB cluster parameter group {}", name);
      return Removal.of(entry, RemovalOutcome.REMOVED, "deleted");
    } catch (DbParameterGroupNotFoundException e) {
      return Removal.of(
          entry, RemovalOutcome.ALREADY_GONE, "the cluster parameter group no longer exists");
    } catch (RdsException e) {
      if ("InvalidDBParameterGroupState".equals(AwsFailures.code(e))) {
        List<String> now = clusters.using(name, null);
        if (!now.isEmpty()) {
          return inUse(entry, now);
        }
      }
      throw AwsFailures.translate("DeleteDBClusterParameterGroup " + name, e);
    }
  }

  private Removal inUse(LedgerEntry entry, List<String> users) {
    return Removal.of(
        entry,
        RemovalOutcome.KEPT_CHANGED,
        entry.identifier()
            + " is still used by cluster(s) "
            + String.join(", ", users)
            + "; once no cluster uses it (modify-db-cluster to another group and reboot the"
            + " writer), delete it: aws rds delete-db-cluster-parameter-group --region "
            + region
            + " --db-cluster-parameter-group-name "
            + entry.identifier());
  }

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
              "; delete unused DB cluster parameter groups or raise the quota, then run onramp"
                  + " again";
          case "InvalidParameterValue", "InvalidParameterCombination" ->
              "; RDS refused the change to the cluster group";
          default -> "";
        };
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.PARAMETER_GROUP,
        action + " failed: " + code + ": " + AwsFailures.message(e) + fix,
        e);
  }
}
