package dev.onramp.activities.rds;

import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.Ownership;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterParameterGroup;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * DB cluster parameter groups (Aurora) as onramp reads them, as {@link ParameterGroups} reads DB
 * parameter groups: whether one exists, its {@code rds.logical_replication}, and whether it is
 * onramp's (named {@code onramp-*} and tagged {@code managed-by=onramp}). The RDS API model answers
 * an unknown cluster group with {@code DBParameterGroupNotFound}, as for DB parameter groups.
 */
final class ClusterParameterGroups {
  private final RdsClient rds;
  private final String region;

  ClusterParameterGroups(RdsClient rds, String region) {
    this.rds = rds;
    this.region = region;
  }

  Optional<DBClusterParameterGroup> find(String name) {
    try {
      return rds
          .describeDBClusterParameterGroups(b -> b.dbClusterParameterGroupName(name))
          .dbClusterParameterGroups()
          .stream()
          .findFirst();
    } catch (DbParameterGroupNotFoundException e) {
      return Optional.empty();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBClusterParameterGroups " + name, e);
    }
  }

  DBClusterParameterGroup group(String name) {
    return find(name)
        .orElseThrow(
            () ->
                OnboardingFailures.nonRetryable(
                    OnboardingFailures.PARAMETER_GROUP,
                    "DB cluster parameter group " + name + " not found in " + region));
  }

  Optional<String> parameterValue(String groupName) {
    try {
      return rds
          .describeDBClusterParametersPaginator(b -> b.dbClusterParameterGroupName(groupName))
          .parameters()
          .stream()
          .filter(p -> ParameterGroups.PARAMETER.equals(p.parameterName()))
          .findFirst()
          .map(Parameter::parameterValue);
    } catch (DbParameterGroupNotFoundException e) {
      return Optional.empty();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBClusterParameters " + groupName, e);
    }
  }

  void checkFamily(String name, String family) {
    String existing = group(name).dbParameterGroupFamily();
    if (!family.equals(existing)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.PARAMETER_GROUP,
          "DB cluster parameter group "
              + name
              + " exists with family "
              + existing
              + ", but the cluster needs "
              + family
              + "; delete or rename that group and run onramp again");
    }
  }

  boolean isOnramps(DBClusterParameterGroup g) {
    return g.dbClusterParameterGroupName().startsWith("onramp-")
        && Ownership.TAG_VALUE.equals(tags(g).get(Ownership.TAG_KEY));
  }

  Map<String, String> tags(DBClusterParameterGroup g) {
    try {
      return rds
          .listTagsForResource(b -> b.resourceName(g.dbClusterParameterGroupArn()))
          .tagList()
          .stream()
          .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    } catch (RdsException e) {
      throw AwsFailures.translate("ListTagsForResource " + g.dbClusterParameterGroupName(), e);
    }
  }

  /** The tags of the {@code onramp-*} cluster group named {@code name}, empty for any other. */
  Map<String, String> onrampTags(String name) {
    if (name == null || !name.startsWith("onramp-")) {
      return Map.of();
    }
    return find(name).map(this::tags).orElse(Map.of());
  }

  /** onramp does not set parameters in a cluster group with its name that it did not create. */
  void refuseForeignGroup(String name) {
    DBClusterParameterGroup g = group(name);
    if (!isOnramps(g)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.FOREIGN_OBJECT,
          "DB cluster parameter group "
              + name
              + " already exists and was not created by onramp (it has no tag "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "); onramp does not change a group it did not create. Rename or delete that"
              + " group, or, if onramp may manage it, tag it: aws rds add-tags-to-resource"
              + " --resource-name "
              + g.dbClusterParameterGroupArn()
              + " --tags Key="
              + Ownership.TAG_KEY
              + ",Value="
              + Ownership.TAG_VALUE);
    }
  }
}
