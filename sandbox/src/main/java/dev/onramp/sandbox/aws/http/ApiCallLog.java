package dev.onramp.sandbox.aws.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every API call the emulator answered: the action, the DB instance it named (its {@code
 * DBInstanceIdentifier}, or DescribeEvents' {@code SourceIdentifier}, or null), when, and the HTTP
 * status (a throttle is 400 {@code Throttling}). What a benchmark counts to say how many describe
 * calls an instance cost per minute of waiting, and how much throttling a run saw; RDS bills
 * nothing per call, but its API rate limits are per account and region, shared by everything that
 * polls it.
 */
public final class ApiCallLog {
  /** One call; {@code instanceId} is lower-case as RDS stores identifiers. */
  public record Call(
      String action, String instanceId, long atMillis, int status, boolean throttled) {
    /** Whether the emulator answered with a throttling error (injected by a fault). */
    public boolean throttled() {
      return throttled;
    }
  }

  private final List<Call> calls = new ArrayList<>();

  synchronized void record(String action, String instanceId, int status, boolean throttled) {
    calls.add(
        new Call(
            action,
            instanceId == null ? null : instanceId.toLowerCase(java.util.Locale.ROOT),
            System.currentTimeMillis(),
            status,
            throttled));
  }

  /** The calls so far that match {@code which}. */
  public synchronized List<Call> calls(Predicate<Call> which) {
    return calls.stream().filter(which).toList();
  }

  /** Forgets every call so far (between the runs of a benchmark). */
  public synchronized void clear() {
    calls.clear();
  }

  /** The calls so far. */
  public synchronized List<Call> calls() {
    return new ArrayList<>(calls);
  }
}
