package dev.onramp.cli.commands;

import dev.onramp.cli.Durations;
import dev.onramp.cli.demo.Demo;
import dev.onramp.cli.render.Watcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code onramp demo}: a whole onboarding against the embedded stand-ins. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run a whole onboarding on this machine, with live progress: a Temporal server, an AWS"
          + " emulator with one RDS for PostgreSQL instance (logical replication off, a few"
          + " tables with data), a Materialize stand-in and a worker.",
      "The reboot is approved automatically unless --interactive. Ends by reading row counts"
          + " from Materialize and streaming one new row.",
      "Temporal: TEMPORAL_ADDRESS if set; else 'temporal server start-dev' when the Temporal CLI"
          + " is on PATH (scripts/install-tools puts it in .tools/); else an in-process server."
    })
public class DemoCommand implements Callable<Integer> {
  @Option(names = "--interactive", description = "Ask before rebooting the instance.")
  boolean interactive;

  @Option(
      names = "--state-dir",
      description = "Where the stand-ins keep their state and logs (default: a new temp dir).")
  Path stateDir;

  @Option(
      names = "--reboot-time",
      converter = Durations.class,
      defaultValue = "3s",
      description = "How long the emulated reboot takes (default ${DEFAULT-VALUE}).")
  Duration rebootTime;

  @Override
  public Integer call() throws Exception {
    Path dir =
        stateDir != null
            ? Files.createDirectories(stateDir)
            : Files.createTempDirectory("onramp-demo-");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      return new Demo(
              new Demo.Options(dir, interactive, rebootTime, Watcher.isTerminal()), System.out, in)
          .run();
    } finally {
      if (stateDir == null) {
        // A throw-away run: drop the databases, keep the log the demo pointed to.
        for (String data : new String[] {"aws", "materialize", "temporal.db"}) {
          deleteTree(dir.resolve(data));
        }
      }
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(DemoCommand::deleteQuietly);
    } catch (IOException ignored) {
      // Best effort: it is a temporary directory.
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort: it is a temporary directory.
    }
  }
}
