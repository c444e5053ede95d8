package dev.onramp.activities.rds;

import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.Ownership;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * DB parameter groups as onramp reads them: whether one exists, the value of {@code
 * rds.logical_replication} in it, and whether it is onramp's (named {@code onramp-*} and tagged
 * {@code managed-by=onramp}).
 */
final class ParameterGroups {
  static final String PARAMETER = "rds.logical_replication";

  /** Where the instance came from: set on onramp's group when it is created or copied. */
  static final String SOURCE_GROUP_TAG = "onramp:source-group";

  private final RdsClient rds;
  private final String region;

  ParameterGroups(RdsClient rds, String region) {
    this.rds = rds;
    this.region = region;
  }

  Optional<DBParameterGroup> find(String name) {
    try {
      return rds
          .describeDBParameterGroups(b -> b.dbParameterGroupName(name))
          .dbParameterGroups()
          .stream()
          .findFirst();
    } catch (DbParameterGroupNotFoundException e) {
      return Optional.empty();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBParameterGroups " + name, e);
    }
  }

  DBParameterGroup group(String name) {
    return find(name)
        .orElseThrow(
            () ->
                OnboardingFailures.nonRetryable(
                    OnboardingFailures.PARAMETER_GROUP,
                    "DB parameter group " + name + " not found in " + region));
  }

  /** The value of rds.logical_replication in a group, following DescribeDBParameters' pages. */
  Optional<String> parameterValue(String groupName) {
    try {
      return rds
          .describeDBParametersPaginator(b -> b.dbParameterGroupName(groupName))
          .parameters()
          .stream()
          .filter(p -> PARAMETER.equals(p.parameterName()))
          .findFirst()
          .map(Parameter::parameterValue);
    } catch (DbParameterGroupNotFoundException e) {
      return Optional.empty();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBParameters " + groupName, e);
    }
  }

  void checkFamily(String name, String family) {
    String existing = group(name).dbParameterGroupFamily();
    if (!family.equals(existing)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.PARAMETER_GROUP,
          "DB parameter group "
              + name
              + " exists with family "
              + existing
              + ", but the instance needs "
              + family
              + "; delete or rename that group and run onramp again");
    }
  }

  /**
   * Whether the group is named {@code onramp-*} and carries {@code managed-by=onramp}. Only such
   * names have their tags read, which keeps the IAM policy's ListTagsForResource to pg:onramp-*.
   */
  boolean isOnramps(DBParameterGroup g) {
    return g.dbParameterGroupName().startsWith("onramp-")
        && Ownership.TAG_VALUE.equals(tags(g).get(Ownership.TAG_KEY));
  }

  /** The tags of an {@code onramp-*} group. */
  Map<String, String> tags(DBParameterGroup g) {
    try {
      return rds
          .listTagsForResource(b -> b.resourceName(g.dbParameterGroupArn()))
          .tagList()
          .stream()
          .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    } catch (RdsException e) {
      throw AwsFailures.translate("ListTagsForResource " + g.dbParameterGroupName(), e);
    }
  }

  /** The tags of the {@code onramp-*} group named {@code name}, empty for any other group. */
  Map<String, String> onrampTags(String name) {
    if (!name.startsWith("onramp-")) {
      return Map.of();
    }
    return find(name).map(this::tags).orElse(Map.of());
  }

  /**
   * A group with onramp's name that onramp did not create (no {@code managed-by=onramp} tag) is
   * someone else's: onramp does not set parameters in it.
   */
  void refuseForeignGroup(String name) {
    DBParameterGroup g = group(name);
    if (!isOnramps(g)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.FOREIGN_OBJECT,
          "DB parameter group "
              + name
              + " already exists and was not created by onramp (it has no tag "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "); onramp does not change a group it did not create. Rename or delete that"
              + " group, or, if onramp may manage it, tag it: aws rds add-tags-to-resource"
              + " --resource-name "
              + g.dbParameterGroupArn()
              + " --tags Key="
              + Ownership.TAG_KEY
              + ",Value="
              + Ownership.TAG_VALUE);
    }
  }
}
