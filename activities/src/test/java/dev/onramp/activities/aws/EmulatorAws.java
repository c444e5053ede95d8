package dev.onramp.activities.aws;

import dev.onramp.sandbox.aws.AwsEmulator;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.function.Supplier;

/** AWS clients for the sandbox emulator, as the worker builds them (default credential chain). */
public final class EmulatorAws {
  private EmulatorAws() {}

  public static AwsClients clients(AwsEmulator emulator) {
    // The SDK's default chain reads these system properties; the emulator accepts any keys.
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    return new AwsClients(new AwsSettings(emulator.endpoint(), Duration.ofSeconds(30), 8));
  }

  /** Calls a single-check activity until it stops answering "not yet" (as Temporal retries do). */
  public static <T> T poll(Supplier<T> check) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        return check.get();
      } catch (ApplicationFailure f) {
        if (!"NotReady".equals(f.getType()) || System.nanoTime() > deadline) {
          throw f;
        }
        Thread.sleep(50);
      }
    }
  }
}
