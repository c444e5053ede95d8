package dev.onramp.cli.render;

import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingStatus;
import dev.onramp.workflows.StepProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Follows an onboarding: on a terminal, redraws the step list in place once a second; otherwise
 * prints one line per step change. Returns the last progress when the run has ended.
 */
public final class Watcher {
  private final PrintStream out;
  private final boolean terminal;
  private final Duration every;

  public Watcher(PrintStream out, boolean terminal, Duration every) {
    this.out = out;
    this.terminal = terminal;
    this.every = every;
  }

  /** True when stdout is an interactive terminal that understands cursor movement. */
  public static boolean isTerminal() {
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !term.equals("dumb");
  }

  public OnboardingProgress follow(Supplier<OnboardingProgress> progress, Supplier<Boolean> ended)
      throws InterruptedException {
    Map<String, String> seen = new HashMap<>();
    int drawn = 0;
    while (true) {
      boolean done = ended.get();
      OnboardingProgress p = progress.get();
      Instant now = Instant.now();
      if (terminal) {
        List<String> lines = ProgressView.lines(p, now);
        if (drawn > 0) {
          out.print("\033[" + drawn + "F"); // back to the first line drawn last time
        }
        for (String line : lines) {
          // A line wider than the terminal wraps and would break the cursor arithmetic.
          out.print("\033[2K" + fit(line) + "\n");
        }
        out.print("\033[J"); // erase what a longer previous frame left below
        out.flush();
        drawn = lines.size();
      } else {
        for (StepProgress s : p.steps()) {
          String key = s.state() + "|" + s.message();
          if (!key.equals(seen.put(s.step().name(), key)) && s.startedAt() != null) {
            out.println(ProgressView.transition(s, now));
          }
        }
        String snapshot = ProgressView.snapshotLine(p);
        if (snapshot != null && !snapshot.equals(seen.put("snapshot-progress", snapshot))) {
          out.println("  " + snapshot);
        }
        out.flush();
      }
      if (done) {
        return p;
      }
      if (finished(p.status())) {
        // The run's status is final, but its workflow may still be closing (a failure notice to
        // a person is an activity of its own): wait for it, so that starting it again right away
        // is not refused as "already running".
        for (int i = 0; i < 100 && !ended.get(); i++) {
          Thread.sleep(100);
        }
        return p;
      }
      Thread.sleep(every.toMillis());
    }
  }

  private static final int WIDTH = terminalWidth();

  private static String fit(String line) {
    return line.length() < WIDTH ? line : line.substring(0, Math.max(10, WIDTH - 2)) + "…";
  }

  /** COLUMNS if exported, else what {@code stty size} says of the controlling terminal. */
  private static int terminalWidth() {
    try {
      String columns = System.getenv("COLUMNS");
      if (columns != null) {
        return Integer.parseInt(columns.trim());
      }
      Process p =
          new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
      String[] size = new String(p.getInputStream().readAllBytes()).trim().split("\\s+");
      if (p.waitFor() == 0 && size.length == 2) {
        return Integer.parseInt(size[1]);
      }
    } catch (Exception e) {
      // No terminal to ask: fall back to a common width.
    }
    return 120;
  }

  static boolean finished(OnboardingStatus s) {
    return s == OnboardingStatus.COMPLETED
        || s == OnboardingStatus.FAILED
        || s == OnboardingStatus.CANCELLED;
  }
}
