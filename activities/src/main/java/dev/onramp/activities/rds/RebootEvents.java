package dev.onramp.activities.rds;

import dev.onramp.activities.aws.AwsFailures;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.SourceType;

/**
 * An instance's DescribeEvents as evidence of a reboot: a retried reboot activity must not reboot
 * twice, and a describe right after RebootDBInstance can still show the state from before it.
 */
final class RebootEvents {
  /** DescribeEvents messages that mean the instance went through a reboot. */
  private static final Pattern REBOOT_EVENT =
      Pattern.compile("(?i).*\\b(restarted|rebooted|rebooting|shutdown)\\b.*");

  /** RDS-EVENT-0006, written when a restart is complete. */
  private static final Pattern RESTARTED_EVENT = Pattern.compile("(?i).*\\brestarted\\b.*");

  private final RdsClient rds;

  RebootEvents(RdsClient rds) {
    this.rds = rds;
  }

  /** Whether the instance began or went through a reboot at or after {@code notBefore}. */
  boolean rebootedSince(String dbInstanceId, Instant notBefore) {
    return notBefore != null && any(dbInstanceId, notBefore, REBOOT_EVENT);
  }

  /** Whether a restart of the instance completed at or after {@code since}. */
  boolean restartedSince(String dbInstanceId, Instant since) {
    return any(dbInstanceId, since, RESTARTED_EVENT);
  }

  private boolean any(String dbInstanceId, Instant since, Pattern message) {
    return events(dbInstanceId, since).stream()
        .anyMatch(
            e ->
                e.date() != null
                    && !e.date().isBefore(since)
                    && e.message() != null
                    && message.matcher(e.message()).matches());
  }

  private List<Event> events(String dbInstanceId, Instant since) {
    try {
      return rds
          .describeEventsPaginator(
              b ->
                  b.sourceIdentifier(dbInstanceId)
                      .sourceType(SourceType.DB_INSTANCE)
                      .startTime(since))
          .events()
          .stream()
          .toList();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeEvents " + dbInstanceId, e);
    }
  }
}
