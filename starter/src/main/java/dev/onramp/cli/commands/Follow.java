package dev.onramp.cli.commands;

import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.render.Watcher;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.client.OnboardingClient;
import java.time.Duration;
import java.time.Instant;

/** Follows a run to its end with the live view, then reports how it ended as an exit code. */
final class Follow {
  private final OnboardingClient client;
  private final Output output;

  Follow(OnboardingClient client, Output output) {
    this.client = client;
    this.output = output;
  }

  int follow(String workflowId, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Watcher watcher =
        new Watcher(System.out, !output.json() && Watcher.isTerminal(), Duration.ofSeconds(1));
    OnboardingProgress last =
        watcher.follow(
            () -> client.progress(workflowId),
            () -> client.closed(workflowId) || Instant.now().isAfter(deadline));
    if (output.json()) {
      System.out.println(Output.toJson(last));
    }
    return switch (last.status()) {
      case COMPLETED -> ExitCodes.OK;
      case CANCELLED -> ExitCodes.CANCELLED;
      case FAILED -> {
        System.err.println("onramp: onboarding failed: " + failure(last));
        yield ExitCodes.ONBOARDING_FAILED;
      }
      default -> {
        if (client.closed(workflowId)) {
          System.err.println("onramp: onboarding ended as " + client.status(workflowId));
          yield ExitCodes.ONBOARDING_FAILED;
        }
        System.err.println(
            "onramp: still running after "
                + timeout
                + "; follow it with: onramp watch "
                + workflowId);
        yield ExitCodes.STILL_RUNNING;
      }
    };
  }

  private static String failure(OnboardingProgress p) {
    return p.steps().stream()
        .filter(s -> s.state() == dev.onramp.workflows.StepState.FAILED)
        .map(s -> s.message())
        .findFirst()
        .orElse(p.status().name());
  }
}
