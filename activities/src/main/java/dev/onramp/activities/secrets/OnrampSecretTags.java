package dev.onramp.activities.secrets;

import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.Ownership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * How a secret is marked as onramp's ({@code managed-by=onramp}, set in CreateSecret's own call)
 * and for which onboarding (region, instance, replication user); a secret without the mark is
 * someone else's and onramp neither reads, replaces nor deletes it.
 */
final class OnrampSecretTags {
  private OnrampSecretTags() {}

  static boolean isOnramps(DescribeSecretResponse d) {
    return d.tags().stream()
        .anyMatch(t -> Ownership.TAG_KEY.equals(t.key()) && Ownership.TAG_VALUE.equals(t.value()));
  }

  /** The tags that mark a secret as onramp's, and say for which instance and user. */
  static List<Tag> tags(String region, String dbInstanceId, String username) {
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.builder().key(Ownership.TAG_KEY).value(Ownership.TAG_VALUE).build());
    tags.add(Tag.builder().key(Ownership.REGION_TAG).value(region).build());
    if (dbInstanceId != null) {
      tags.add(Tag.builder().key(Ownership.INSTANCE_TAG).value(dbInstanceId).build());
    }
    tags.add(Tag.builder().key(Ownership.USER_TAG).value(username).build());
    return tags;
  }

  /**
   * A secret without onramp's tag is someone else's: its value is neither read nor replaced. One of
   * onramp's for another user belongs to another onboarding.
   */
  static void refuseForeign(DescribeSecretResponse secret, String username) {
    Map<String, String> tags = new LinkedHashMap<>();
    secret.tags().forEach(t -> tags.put(t.key(), t.value()));
    if (!Ownership.TAG_VALUE.equals(tags.get(Ownership.TAG_KEY))) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.FOREIGN_OBJECT,
          "secret "
              + secret.name()
              + " already exists and was not created by onramp (it has no tag "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "); onramp never reads or replaces the value of a secret it did not create."
              + " Choose another replicationPasswordSecret, or, if this secret is meant for"
              + " onramp and holds {\"username\": \""
              + username
              + "\", \"password\": ...} for the replication user, tag it: aws secretsmanager"
              + " tag-resource --secret-id "
              + secret.name()
              + " --tags Key="
              + Ownership.TAG_KEY
              + ",Value="
              + Ownership.TAG_VALUE);
    }
    String user = tags.get(Ownership.USER_TAG);
    if (user != null && !user.equals(username)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.FOREIGN_OBJECT,
          "secret "
              + secret.name()
              + " is onramp's secret for replication user "
              + user
              + ", not "
              + username
              + "; choose another replicationPasswordSecret (the default is one per instance and"
              + " user)");
    }
  }
}
