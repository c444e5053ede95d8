package dev.onramp.sandbox.aws.faults;

import dev.onramp.sandbox.aws.http.AwsException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** The faults in force; thread-safe. */
public final class FaultInjector {
  private final List<Armed> faults = new ArrayList<>();

  private static final class Armed {
    final Fault fault;
    int remaining;

    Armed(Fault fault) {
      this.fault = fault;
      this.remaining = fault.count() == null || fault.count() <= 0 ? -1 : fault.count();
    }

    /** Uses one shot; false once spent. */
    boolean fire() {
      if (remaining == 0) {
        return false;
      }
      if (remaining > 0) {
        remaining--;
      }
      return true;
    }
  }

  public synchronized void add(Fault fault) {
    if (fault.type() == null) {
      throw new IllegalArgumentException("a fault needs a type");
    }
    switch (fault.type()) {
      case "throttle",
          "server-error",
          "latency",
          "stuck",
          "reboot-without-apply",
          "describe-lag" -> {}
      default -> throw new IllegalArgumentException("unknown fault type: " + fault.type());
    }
    if ((fault.type().equals("stuck")
            || fault.type().equals("reboot-without-apply")
            || fault.type().equals("describe-lag"))
        && fault.instanceId() == null) {
      throw new IllegalArgumentException(fault.type() + " needs an instanceId");
    }
    if (fault.type().equals("stuck") && fault.status() == null) {
      throw new IllegalArgumentException("stuck needs a status");
    }
    if (fault.type().equals("describe-lag") && (fault.count() == null || fault.count() <= 0)) {
      throw new IllegalArgumentException("describe-lag needs a count: how many describes lag");
    }
    faults.add(new Armed(fault));
  }

  public synchronized void clear() {
    faults.clear();
  }

  public synchronized List<Fault> list() {
    List<Fault> out = new ArrayList<>();
    for (Armed a : faults) {
      Fault f = a.fault;
      out.add(
          new Fault(
              f.type(),
              f.operation(),
              a.remaining < 0 ? 0 : a.remaining,
              f.latencyMillis(),
              f.httpStatus(),
              f.instanceId(),
              f.status()));
    }
    return out;
  }

  /** Total latency to add before answering {@code operation}. */
  public synchronized long latencyFor(String operation) {
    long total = 0;
    for (Armed a : faults) {
      if (a.fault.type().equals("latency") && a.fault.matches(operation) && a.fire()) {
        total += a.fault.latencyMillis() == null ? 0 : a.fault.latencyMillis();
      }
    }
    prune();
    return total;
  }

  /**
   * The injected error for this call, if any. {@code throttling} is the service's own throttling
   * error, e.g. RDS's {@code Throttling} "Rate exceeded" with HTTP 400.
   */
  public synchronized Optional<AwsException> errorFor(String operation, AwsException throttling) {
    for (Armed a : faults) {
      String type = a.fault.type();
      if ((type.equals("throttle") || type.equals("server-error"))
          && a.fault.matches(operation)
          && a.fire()) {
        prune();
        if (type.equals("throttle")) {
          return Optional.of(throttling);
        }
        int status = a.fault.httpStatus() == null ? 500 : a.fault.httpStatus();
        return Optional.of(
            status == 503
                ? new AwsException("ServiceUnavailable", 503, "Service is unavailable.")
                : new AwsException(
                    "InternalFailure",
                    status,
                    "The request processing has failed because of an unknown error, exception or"
                        + " failure."));
      }
    }
    return Optional.empty();
  }

  /** The status an instance is stuck in, if any. */
  public synchronized Optional<String> stuckStatus(String instanceId) {
    for (Armed a : faults) {
      if (a.fault.type().equals("stuck") && instanceId.equals(a.fault.instanceId())) {
        return Optional.of(a.fault.status());
      }
    }
    return Optional.empty();
  }

  /**
   * How many DescribeDBInstances answers lag behind a mutating call on this instance (0 when no
   * {@code describe-lag} fault is in force). The fault is not used up by asking.
   */
  public synchronized int describeLag(String instanceId) {
    for (Armed a : faults) {
      if (a.fault.type().equals("describe-lag") && instanceId.equals(a.fault.instanceId())) {
        return a.fault.count();
      }
    }
    return 0;
  }

  /** Uses up one {@code reboot-without-apply} for this instance, if there is one. */
  public synchronized boolean takeRebootWithoutApply(String instanceId) {
    for (Armed a : faults) {
      if (a.fault.type().equals("reboot-without-apply")
          && instanceId.equals(a.fault.instanceId())
          && a.fire()) {
        prune();
        return true;
      }
    }
    return false;
  }

  private void prune() {
    for (Iterator<Armed> it = faults.iterator(); it.hasNext(); ) {
      if (it.next().remaining == 0) {
        it.remove();
      }
    }
  }
}
