package dev.onramp.e2e;

import dev.onramp.cli.Onramp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One run of the onramp CLI inside the test JVM: its exit code, what it printed, how long. */
record CliRun(int code, String out, String err, Duration took) {

  /** Runs {@code onramp args...}; stdout is captured, picocli's error stream too. */
  static CliRun of(String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    StringWriter stderr = new StringWriter();
    PrintStream original = System.out;
    long t0 = System.nanoTime();
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      var cmd = Onramp.commandLine();
      cmd.setErr(new PrintWriter(stderr));
      code = cmd.execute(args);
    } finally {
      System.setOut(original);
    }
    return new CliRun(
        code,
        stdout.toString(StandardCharsets.UTF_8),
        stderr.toString(),
        Duration.ofNanos(System.nanoTime() - t0));
  }

  /** Everything printed, stdout then stderr. */
  String printed() {
    return out + err;
  }
}
