package dev.onramp.sandbox.aws.rds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's own record of every reboot: when RebootDBInstance put the instance into {@code
 * rebooting} and when it was {@code available} again. DescribeEvents shows only "DB instance
 * shutdown" and "DB instance restarted" (as RDS does), which leave out the time an instance spends
 * rebooting before PostgreSQL stops; a budget on reboots must hold over the whole of it.
 */
public final class RebootLog {
  /** One reboot; {@code endedMillis} is -1 while it lasts. */
  public record Reboot(String instanceId, long startedMillis, long endedMillis) {}

  private final List<Reboot> done = new ArrayList<>();
  private final Map<String, Long> open = new LinkedHashMap<>();

  synchronized void started(String instanceId) {
    open.put(instanceId, System.currentTimeMillis());
  }

  synchronized void ended(String instanceId) {
    Long started = open.remove(instanceId);
    if (started != null) {
      done.add(new Reboot(instanceId, started, System.currentTimeMillis()));
    }
  }

  /** Every reboot so far, those still under way with {@code endedMillis} -1. */
  public synchronized List<Reboot> reboots() {
    List<Reboot> all = new ArrayList<>(done);
    open.forEach((id, started) -> all.add(new Reboot(id, started, -1)));
    return all;
  }

  /** The most instances that were rebooting at one instant. */
  public synchronized int mostAtOnce() {
    List<long[]> edges = new ArrayList<>();
    for (Reboot r : reboots()) {
      edges.add(new long[] {r.startedMillis(), 1});
      edges.add(new long[] {r.endedMillis() < 0 ? Long.MAX_VALUE : r.endedMillis(), -1});
    }
    // At the same instant an end comes before a start: [started, ended) intervals.
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int most = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      most = Math.max(most, now);
    }
    return most;
  }
}
