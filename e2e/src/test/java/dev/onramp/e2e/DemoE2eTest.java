package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, exactly as a user runs it: ./onramp demo, here with --keep (on free
 * ports, as tests use no fixed ones). The Web UI address it prints answers while the demo runs and
 * after it, until Ctrl-C stops everything.
 */
class DemoE2eTest {
  static final Pattern WEB_UI = Pattern.compile("  Web UI: (http://\\S+)");

  @TempDir Path dir;

  @Test
  void onrampDemoRunsAWholeOnboardingWithAWebUiAndStopsOnCtrlC() throws Exception {
    Path out = dir.resolve("demo.out");
    Process p =
        demo(
                out,
                "--keep",
                "--temporal-port",
                String.valueOf(freePort()),
                "--ui-port",
                String.valueOf(freePort()))
            .start();
    try {
      String ui = awaitOutput(p, out, WEB_UI, Duration.ofMinutes(4)).group(1);
      assertThat(status(ui)).as("the Web UI at %s while the demo runs", ui).isEqualTo(200);

      awaitOutput(p, out, Pattern.compile("Press Ctrl-C to stop\\."), Duration.ofMinutes(5));
      String text = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(text)
          .contains("starting Temporal ... Temporal dev server")
          .contains("✔ DONE       Reboot and wait for Available")
          .contains("✔ DONE       Wait for the initial snapshot")
          .contains("orders: 500 rows")
          .contains("customers: 50 rows")
          .contains("onramp's ledger (created, changed and reused):")
          .contains("  created publication mz_source")
          .containsPattern(
              "  changed parameter group association demo-db \\(was default\\.postgres")
          .containsPattern("arrived in Materialize after \\d+ ms")
          .contains("--keep: everything keeps running until you press Ctrl-C.")
          .contains("  Web UI:     " + ui);
      assertThat(status(ui)).as("the Web UI at %s after the demo (--keep)", ui).isEqualTo(200);

      // Ctrl-C: SIGINT to the JVM (the launcher execs java).
      new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the demo stops on Ctrl-C").isTrue();
      assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("onramp demo: stopped.");
      assertThat(status(ui)).as("the Web UI is stopped with the demo").isEqualTo(-1);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void keepNamesAPortAlreadyInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Path out = dir.resolve("taken.out");
      Process p =
          demo(
                  out,
                  "--keep",
                  "--temporal-port",
                  String.valueOf(freePort()),
                  "--ui-port",
                  String.valueOf(taken.getLocalPort()))
              .start();
      boolean ended = p.waitFor(3, TimeUnit.MINUTES);
      p.destroyForcibly();
      String text = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(ended).as(text).isTrue();
      assertThat(p.exitValue()).as(text).isEqualTo(2);
      assertThat(text)
          .contains(
              "port "
                  + taken.getLocalPort()
                  + " (the Temporal Web UI) is already in use on 127.0.0.1")
          .contains("--ui-port");
    }
  }

  private ProcessBuilder demo(Path out, String... args) {
    Path root = Path.of("..").toAbsolutePath().normalize();
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("onramp").toString(), "demo");
    pb.command().addAll(java.util.List.of(args));
    pb.environment().remove("TEMPORAL_ADDRESS");
    return pb.directory(root.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
  }

  private static Matcher awaitOutput(Process p, Path out, Pattern wanted, Duration within)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (true) {
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Matcher m = wanted.matcher(text);
      if (m.find()) {
        return m;
      }
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        throw new AssertionError("the demo never printed " + wanted + ":\n" + text);
      }
      Thread.sleep(200);
    }
  }

  /** The HTTP status of {@code url}, or -1 when nothing answers. */
  private static int status(String url) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException nothingAnswers) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
