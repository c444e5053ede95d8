package dev.onramp.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar starter/target/onramp.jar worker --config <file>} as a person or a container
 * runs it: its own process, its settings from the environment only, its output in a log file.
 */
final class JarWorker implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path JAR = ROOT.resolve("starter/target/onramp.jar");

  final Process process;
  final Path log;
  final int port;
  final int adminPort;

  private JarWorker(Process process, Path log, int port, int adminPort) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.adminPort = adminPort;
  }

  /**
   * Starts the jar with {@code environment} on top of this JVM's environment less its AWS, MZ_,
   * TEMPORAL_ and ONRAMP_ variables (so only what the test gives counts), on free ports.
   */
  static JarWorker start(Path config, Path log, Map<String, String> environment)
      throws IOException {
    int port = freePort();
    int adminPort = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "worker",
                "--config",
                config.toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("AWS_")
                    || k.startsWith("MZ_")
                    || k.startsWith("TEMPORAL_")
                    || k.startsWith("ONRAMP_"));
    env.put("ONRAMP_PORT", String.valueOf(port));
    env.put("ONRAMP_ADMIN_PORT", String.valueOf(adminPort));
    env.putAll(environment);
    return new JarWorker(pb.start(), log, port, adminPort);
  }

  /** Waits until {@code /healthcheck} on the admin port answers 200 (every check healthy). */
  String awaitHealthy(Duration within) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + within.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("worker exited " + process.exitValue() + ":\n" + output());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200) {
          return r.body();
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("worker not healthy: " + last + "\n" + output());
  }

  /** Waits for the process to end on its own; returns its exit code. */
  int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("worker still running after " + within + ":\n" + output());
    }
    return process.exitValue();
  }

  /** SIGKILL, as a node dies: no shutdown hook, no graceful stop. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * The variables {@code file} (the sandbox's env file) exports, read by a bash that sources it.
   */
  static Map<String, String> sourced(Path file) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                List.of("env", "-i", "bash", "-c", ". \"$1\" && env -0", "bash", file.toString()))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("cannot source " + file);
    }
    Map<String, String> env = new HashMap<>();
    for (String entry : out.split("\0")) {
      int eq = entry.indexOf('=');
      String name = eq > 0 ? entry.substring(0, eq) : "";
      if (!name.isEmpty() && !List.of("PWD", "SHLVL", "_", "OLDPWD").contains(name)) {
        env.put(name, entry.substring(eq + 1));
      }
    }
    return env;
  }

  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
