package dev.onramp.activities.rds;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.activities.upstream.WalSafety;
import dev.onramp.workflows.Ownership;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * {@link WalKeepSizeActivities} through the AWS SDK. {@code max_slot_wal_keep_size} is a dynamic
 * parameter (RDS applies it with ApplyMethod immediate, no reboot; PostgreSQL reloads it, context
 * {@code sighup}), so setting it in the group the instance uses takes effect at once. onramp sets
 * it only in a group it created (named {@code onramp-*}, tagged {@code managed-by=onramp}): every
 * instance on a group is affected, and a group someone else made is theirs to change.
 */
public final class WalKeepSizeActivitiesImpl implements WalKeepSizeActivities {
  private static final Logger log = LoggerFactory.getLogger(WalKeepSizeActivitiesImpl.class);

  private final AwsClients aws;

  public WalKeepSizeActivitiesImpl(AwsClients aws) {
    this.aws = aws;
  }

  @Override
  public WalKeepSizeOutcome setMaxSlotWalKeepSize(WalKeepSizeRequest request) {
    RdsClient rds = aws.rds(request.region());
    String region = request.region();
    DbInstanceInfo instance = new DbInstances(rds, region).describe(request.dbInstanceId());
    // The instance's own DB parameter group (parameterGroup() is the cluster group on Aurora).
    String group =
        instance.parameterGroups().isEmpty() ? null : instance.parameterGroups().get(0).name();
    String value = Long.toString(request.megabytes());
    ParameterGroups groups = new ParameterGroups(rds, region);
    Optional<DBParameterGroup> found =
        group == null || group.startsWith("default.") ? Optional.empty() : groups.find(group);
    if (found.isEmpty() || !groups.isOnramps(found.get())) {
      String message =
          "max_slot_wal_keep_size not set: DB parameter group "
              + group
              + " is not onramp's (onramp changes only groups it created, tagged "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "); to set it yourself run "
              + WalSafety.command(group, request.megabytes());
      return new WalKeepSizeOutcome(group, false, false, null, message);
    }
    String previous = currentValue(rds, group);
    if (value.equals(previous)) {
      return new WalKeepSizeOutcome(
          group,
          true,
          false,
          previous,
          "max_slot_wal_keep_size is already " + value + " MB in " + group);
    }
    try {
      rds.modifyDBParameterGroup(
          b ->
              b.dbParameterGroupName(group)
                  .parameters(
                      Parameter.builder()
                          .parameterName(WalSafety.PARAMETER)
                          .parameterValue(value)
                          .applyMethod(ApplyMethod.IMMEDIATE)
                          .build()));
    } catch (RdsException e) {
      throw AwsFailures.translate("ModifyDBParameterGroup " + group, e);
    }
    log.info("set {}={} (immediate) in {} (was {})", WalSafety.PARAMETER, value, group, previous);
    return new WalKeepSizeOutcome(
        group,
        true,
        true,
        previous,
        "set max_slot_wal_keep_size to "
            + value
            + " MB in "
            + group
            + " (was "
            + (previous == null ? "the default, -1" : previous)
            + "; applied at once, no reboot)");
  }

  /** The value the group sets, null when it leaves the engine default. */
  private static String currentValue(RdsClient rds, String group) {
    try {
      return rds
          .describeDBParametersPaginator(b -> b.dbParameterGroupName(group))
          .parameters()
          .stream()
          .filter(p -> WalSafety.PARAMETER.equals(p.parameterName()))
          .findFirst()
          .map(Parameter::parameterValue)
          .orElse(null);
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBParameters " + group, e);
    }
  }
}
