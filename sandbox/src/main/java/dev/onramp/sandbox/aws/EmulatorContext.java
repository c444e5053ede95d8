package dev.onramp.sandbox.aws;

import dev.onramp.sandbox.aws.faults.FaultInjector;
import dev.onramp.sandbox.aws.rds.Timings;
import dev.onramp.sandbox.aws.state.EmulatorState;
import dev.onramp.sandbox.aws.state.StateStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the services share: the state (also the lock that guards it), where it is saved, the faults,
 * and the threads that run transitions.
 */
public final class EmulatorContext {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  public final EmulatorState state;
  public final StateStore store;
  public final FaultInjector faults;
  public final Timings timings;
  public final String region;
  public final String accountId;
  public final ScheduledExecutorService scheduler;
  public final ExecutorService workers;

  public EmulatorContext(
      EmulatorState state,
      StateStore store,
      FaultInjector faults,
      Timings timings,
      String region,
      String accountId,
      ScheduledExecutorService scheduler,
      ExecutorService workers) {
    this.state = state;
    this.store = store;
    this.faults = faults;
    this.timings = timings;
    this.region = region;
    this.accountId = accountId;
    this.scheduler = scheduler;
    this.workers = workers;
  }

  /** Saves the state; call with the state lock held. */
  public void save() {
    store.save(state);
  }

  public static String hex(int chars) {
    byte[] b = new byte[(chars + 1) / 2];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b).substring(0, chars);
  }

  public static String alnum(int chars) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < chars; i++) {
      sb.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
    }
    return sb.toString();
  }

  public String rdsArn(String type, String name) {
    return "arn:aws:rds:" + region + ":" + accountId + ":" + type + ":" + name;
  }
}
