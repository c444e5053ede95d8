package dev.onramp.activities.rds;

import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.workflows.OnboardingFailures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.PendingModifiedValues;
import software.amazon.awssdk.services.rds.model.RdsException;

/** DescribeDBInstances as onboarding reads it: one instance, or who uses a parameter group. */
final class DbInstances {
  private final RdsClient rds;
  private final String region;

  DbInstances(RdsClient rds, String region) {
    this.rds = rds;
    this.region = region;
  }

  /**
   * The instance; non-retryable {@code InstanceNotFound} when absent. An Aurora member comes with
   * its place in the cluster (DescribeDBClusters), where its logical replication is decided.
   */
  DbInstanceInfo describe(String id) {
    DbInstanceInfo i = describeInstanceOnly(id);
    return i.dbClusterId() == null ? i : new DbClusters(rds, region).withMembership(i);
  }

  private DbInstanceInfo describeInstanceOnly(String id) {
    try {
      return toInfo(rds.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0));
    } catch (DbInstanceNotFoundException e) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INSTANCE_NOT_FOUND,
          "DB instance "
              + id
              + " not found in "
              + region
              + "; check the instance identifier and the region",
          e);
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBInstances " + id, e);
    }
  }

  /** The instances (other than {@code except}) whose parameter group is {@code group}. */
  List<String> using(String group, String except) {
    try {
      return rds.describeDBInstancesPaginator(b -> b.maxRecords(100)).dbInstances().stream()
          .filter(
              d ->
                  !d.dbInstanceIdentifier().equals(except)
                      && d.dbParameterGroups().stream()
                          .anyMatch(g -> group.equals(g.dbParameterGroupName())))
          .map(DBInstance::dbInstanceIdentifier)
          .toList();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBInstances", e);
    }
  }

  static DbInstanceInfo toInfo(DBInstance i) {
    return new DbInstanceInfo(
        i.dbInstanceIdentifier(),
        i.engine(),
        i.engineVersion(),
        i.dbInstanceStatus(),
        i.endpoint() == null ? null : i.endpoint().address(),
        i.endpoint() == null || i.endpoint().port() == null ? 0 : i.endpoint().port(),
        i.dbName(),
        i.masterUsername(),
        i.masterUserSecret() == null ? null : i.masterUserSecret().secretArn(),
        i.dbParameterGroups().stream()
            .map(
                g ->
                    new DbInstanceInfo.ParameterGroupStatus(
                        g.dbParameterGroupName(), g.parameterApplyStatus()))
            .toList(),
        i.vpcSecurityGroups().stream().map(g -> g.vpcSecurityGroupId()).toList(),
        Boolean.TRUE.equals(i.publiclyAccessible()),
        i.preferredMaintenanceWindow(),
        i.dbClusterIdentifier(),
        pendingModifications(i.pendingModifiedValues()),
        i.allocatedStorage(),
        null);
  }

  /**
   * PendingModifiedValues as {@code Field=value}, every field the SDK knows (class, storage, engine
   * version, ...), so a new kind of pending change is listed without code here.
   */
  static List<String> pendingModifications(PendingModifiedValues pending) {
    List<String> out = new ArrayList<>();
    if (pending == null) {
      return out;
    }
    for (SdkField<?> field : pending.sdkFields()) {
      Object value = field.getValueOrDefault(pending);
      if (value == null || (value instanceof Collection<?> c && c.isEmpty())) {
        continue;
      }
      out.add(field.memberName() + "=" + value);
    }
    return out;
  }
}
