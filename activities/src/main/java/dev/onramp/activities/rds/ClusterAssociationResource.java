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
 * Which DB cluster parameter group an Aurora cluster uses, for the onboarding of its writer: the
 * Aurora twin of {@link AssociationResource}. Changing it is ModifyDBCluster with
 * DBClusterParameterGroupName and ApplyImmediately (the group's static parameters apply at each
 * member's next reboot; the workflow reboots the writer through its gate). The ledger entry is
 * {@link ResourceKind#PARAMETER_GROUP_ASSOCIATION} of the writer instance (the onboarding's
 * target), with the attributes {@code dbClusterId} and {@code scope=cluster}; {@code previous} is
 * the cluster group the cluster left, so offboarding can put it back.
 */
public final class ClusterAssociationResource
    implements ManagedResource<AssociationRequest, DbInstanceInfo> {
  private static final Logger log = LoggerFactory.getLogger(ClusterAssociationResource.class);

  private final RdsClient rds;
  private final String region;
  private final DbInstances instances;
  private final DbClusters clusters;
  private final ClusterParameterGroups groups;

  public ClusterAssociationResource(RdsClient rds, String region) {
    this.rds = rds;
    this.region = region;
    this.instances = new DbInstances(rds, region);
    this.clusters = new DbClusters(rds, region);
    this.groups = new ClusterParameterGroups(rds, region);
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.PARAMETER_GROUP_ASSOCIATION;
  }

  @Override
  public DbInstanceInfo inspect(AssociationRequest wanted) {
    DbInstanceInfo i = instances.describe(wanted.dbInstanceId());
    return i.inCluster() ? i : clusters.withMembership(i);
  }

  @Override
  public PlannedChange plan(AssociationRequest wanted) {
    DbInstanceInfo i = inspect(wanted);
    String cluster = i.cluster().dbClusterId();
    if (wanted.parameterGroup().equals(i.parameterGroup())) {
      return new PlannedChange(
          kind(),
          wanted.dbInstanceId(),
          PlanAction.REUSE,
          "cluster " + cluster + " already uses " + wanted.parameterGroup());
    }
    return new PlannedChange(
        kind(),
        wanted.dbInstanceId(),
        PlanAction.CHANGE,
        "cluster "
            + cluster
            + " uses "
            + i.parameterGroup()
            + "; ModifyDBCluster moves it to "
            + wanted.parameterGroup()
            + ", which applies at the writer's reboot");
  }

  @Override
  public LedgerEntry converge(AssociationRequest wanted) {
    DbInstanceInfo i = inspect(wanted);
    String group = wanted.parameterGroup();
    if (group.equals(i.parameterGroup())) {
      return entry(i, group, Outcome.REUSED, sourceGroup(group));
    }
    modify(i, group);
    return entry(i, group, Outcome.CHANGED, i.parameterGroup());
  }

  private LedgerEntry entry(DbInstanceInfo i, String group, Outcome outcome, String previous) {
    return new LedgerEntry(
        kind(),
        i.dbInstanceId(),
        outcome,
        previous,
        Map.of(
            "parameterGroup",
            group,
            "dbClusterId",
            i.cluster().dbClusterId(),
            ClusterParameterGroupResource.SCOPE,
            ClusterParameterGroupResource.CLUSTER_SCOPE));
  }

  private String sourceGroup(String group) {
    String source = groups.onrampTags(group).get(ParameterGroups.SOURCE_GROUP_TAG);
    return source == null || source.equals(group) ? null : source;
  }

  private void modify(DbInstanceInfo i, String group) {
    String cluster = i.cluster().dbClusterId();
    try {
      rds.modifyDBCluster(
          b ->
              b.dbClusterIdentifier(cluster)
                  .dbClusterParameterGroupName(group)
                  .applyImmediately(true));
      log.info("associated cluster group {} with {}", group, cluster);
    } catch (RdsException e) {
      String code = AwsFailures.code(e);
      // InvalidDBClusterStateFault (a backup, another modification) is retried (AwsFailures.RDS).
      if (code.equals("DBClusterParameterGroupNotFound")
          || code.equals("InvalidParameterCombination")) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.PARAMETER_GROUP,
            "cannot associate cluster parameter group "
                + group
                + " with cluster "
                + cluster
                + ": "
                + AwsFailures.message(e),
            e);
      }
      throw AwsFailures.translate("ModifyDBCluster " + cluster, e);
    }
  }

  @Override
  public List<Finding> drift(AssociationRequest wanted) {
    DbInstanceInfo i = inspect(wanted);
    if (wanted.parameterGroup().equals(i.parameterGroup())) {
      return List.of();
    }
    String cluster = i.cluster().dbClusterId();
    return List.of(
        new Finding(
            Severity.CRITICAL,
            kind(),
            wanted.dbInstanceId(),
            "cluster "
                + cluster
                + " uses "
                + i.parameterGroup()
                + ", not "
                + wanted.parameterGroup()
                + ": logical replication stops at the writer's next reboot",
            "aws rds modify-db-cluster --region "
                + region
                + " --db-cluster-identifier "
                + cluster
                + " --db-cluster-parameter-group-name "
                + wanted.parameterGroup()
                + " --apply-immediately (then reboot the writer when convenient)"));
  }

  /** Puts the cluster back on {@code previous}; kept when someone moved it since. */
  @Override
  public Removal remove(LedgerEntry entry) {
    String previous = entry.previous();
    if (previous == null) {
      return Removal.of(entry, RemovalOutcome.KEPT_NOT_OURS, "onramp did not move the cluster");
    }
    DbInstanceInfo i = inspect(new AssociationRequest(region, entry.identifier(), previous, false));
    if (previous.equals(i.parameterGroup())) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the cluster uses " + previous);
    }
    String ours = entry.attribute("parameterGroup");
    if (ours != null && !ours.equals(i.parameterGroup())) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "the cluster now uses "
              + i.parameterGroup()
              + ", set since onboarding; not moved back to "
              + previous);
    }
    modify(i, previous);
    return Removal.of(
        entry,
        RemovalOutcome.RESTORED,
        "re-associated " + previous + "; it applies at the writer's next reboot");
  }
}
