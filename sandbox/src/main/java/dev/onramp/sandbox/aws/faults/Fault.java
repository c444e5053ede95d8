package dev.onramp.sandbox.aws.faults;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One injected fault, as given in the config file or posted to {@code /_sandbox/faults}.
 *
 * <ul>
 *   <li>{@code throttle}: the operation fails with the service's throttling error ({@code
 *       Throttling} "Rate exceeded", HTTP 400, for RDS), which the AWS SDK retries.
 *   <li>{@code server-error}: the operation fails with HTTP {@code httpStatus} (default 500).
 *   <li>{@code latency}: the operation is answered after {@code latencyMillis}.
 *   <li>{@code stuck}: instance {@code instanceId} shows {@code status} until the fault is cleared.
 *   <li>{@code reboot-without-apply}: the next reboot(s) of {@code instanceId} restart PostgreSQL
 *       without applying the parameter group, which stays {@code pending-reboot}.
 *   <li>{@code describe-lag}: after each mutating call on {@code instanceId} (ModifyDBInstance,
 *       RebootDBInstance), the next {@code count} DescribeDBInstances answers show the instance as
 *       it was before the call. RDS is eventually consistent: right after ModifyDBInstance or
 *       RebootDBInstance it can still describe the old status and group for a while, so a wait that
 *       trusts the first {@code available} decides on a stale reading. The fault stays until
 *       cleared; here {@code count} is the lag per call, not a number of shots.
 * </ul>
 *
 * @param operation the API operation name ({@code RebootDBInstance}, {@code GetSecretValue}...) or
 *     {@code *}; null means all
 * @param count how many times it fires; 0 or less means until cleared
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fault(
    String type,
    String operation,
    Integer count,
    Long latencyMillis,
    Integer httpStatus,
    String instanceId,
    String status) {

  public static Fault throttle(String operation, int count) {
    return new Fault("throttle", operation, count, null, null, null, null);
  }

  public static Fault serverError(String operation, int count, int httpStatus) {
    return new Fault("server-error", operation, count, null, httpStatus, null, null);
  }

  public static Fault latency(String operation, long millis) {
    return new Fault("latency", operation, 0, millis, null, null, null);
  }

  public static Fault stuck(String instanceId, String status) {
    return new Fault("stuck", null, 0, null, null, instanceId, status);
  }

  public static Fault rebootWithoutApply(String instanceId, int count) {
    return new Fault("reboot-without-apply", null, count, null, null, instanceId, null);
  }

  public static Fault describeLag(String instanceId, int describes) {
    return new Fault("describe-lag", null, describes, null, null, instanceId, null);
  }

  boolean matches(String op) {
    return operation == null || operation.equals("*") || operation.equalsIgnoreCase(op);
  }
}
