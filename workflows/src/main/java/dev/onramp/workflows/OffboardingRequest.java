package dev.onramp.workflows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Offboard one target: remove what its onboardings created, restore what they changed. {@code
 * restoreParameterGroup}: put the instance back on the parameter group it used before onboarding (a
 * reboot, through {@code rebootPolicy}'s gate) and delete the group onramp created; without it the
 * instance keeps logical replication on. Unset fields take {@link #withDefaults()}.
 */
public record OffboardingRequest(
    String region,
    String dbInstanceId,
    String database,
    Boolean restoreParameterGroup,
    RebootPolicy rebootPolicy,
    OffboardingWaits waits) {

  public static OffboardingRequest of(String region, String dbInstanceId, String database) {
    return new OffboardingRequest(region, dbInstanceId, database, null, null, null).withDefaults();
  }

  public OffboardingRequest withDefaults() {
    return new OffboardingRequest(
        region,
        dbInstanceId,
        database,
        restoreParameterGroup == null ? Boolean.FALSE : restoreParameterGroup,
        rebootPolicy == null ? RebootPolicy.APPROVAL : rebootPolicy,
        (waits == null ? OffboardingWaits.defaults() : waits).withDefaults());
  }

  public boolean restoresParameterGroup() {
    return Boolean.TRUE.equals(restoreParameterGroup);
  }

  public OffboardingRequest withRestoreParameterGroup(boolean restore, RebootPolicy policy) {
    return new OffboardingRequest(region, dbInstanceId, database, restore, policy, waits);
  }

  public OffboardingRequest withWaits(OffboardingWaits newWaits) {
    return new OffboardingRequest(
        region, dbInstanceId, database, restoreParameterGroup, rebootPolicy, newWaits);
  }

  /**
   * Every problem with the request, each naming its field; empty when it is fine. The target is
   * checked exactly as an onboarding request's.
   */
  public static List<String> problems(OffboardingRequest r) {
    if (r == null) {
      return List.of("request: is missing");
    }
    List<String> p =
        new ArrayList<>(
            RequestValidator.problems(
                OnboardingRequest.of(
                    r.region(), r.dbInstanceId(), r.database(), TableSelection.allTables())));
    if (r.waits() != null) {
      positive(p, "waits.unreachableAfter", r.waits().unreachableAfter());
      positive(p, "waits.awsPollInterval", r.waits().awsPollInterval());
      positive(p, "waits.awsMaxWait", r.waits().awsMaxWait());
      positive(p, "waits.approvalTimeout", r.waits().approvalTimeout());
    }
    return p;
  }

  /** Throws {@link InvalidRequestException} naming every bad field; returns the request. */
  public static OffboardingRequest validate(OffboardingRequest r) {
    List<String> p = problems(r);
    if (!p.isEmpty()) {
      throw new InvalidRequestException(p);
    }
    return r;
  }

  private static void positive(List<String> p, String field, Duration d) {
    if (d != null && (d.isZero() || d.isNegative())) {
      p.add(field + ": must be a positive duration, got " + d);
    }
  }
}
