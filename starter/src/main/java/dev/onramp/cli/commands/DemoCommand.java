package dev.onramp.cli.commands;

import dev.onramp.cli.Durations;
import dev.onramp.cli.demo.Demo;
import dev.onramp.cli.demo.DemoTemporal;
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
      "Temporal: TEMPORAL_ADDRESS if set; else 'temporal server start-dev' with its Web UI (the"
          + " ./onramp launcher installs the Temporal CLI into .tools/ when it is missing); else,"
          + " where the CLI cannot be installed, an in-process server without a Web UI.",
      "--keep leaves everything running after the onboarding, on fixed ports (Temporal 7233,"
          + " Web UI 8233), until Ctrl-C."
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

  @Option(
      names = "--keep",
      description =
          "Keep Temporal, its Web UI, the stand-ins and the worker running after the demo, until"
              + " Ctrl-C.")
  boolean keep;

  @Option(
      names = "--temporal-port",
      description = "The dev server's frontend port (default: 7233 with --keep, else a free port).")
  Integer temporalPort;

  @Option(
      names = "--ui-port",
      description = "The Web UI's port (default: 8233 with --keep, else a free port).")
  Integer uiPort;

  @Override
  public Integer call() throws Exception {
    Path dir =
        stateDir != null
            ? Files.createDirectories(stateDir)
            : Files.createTempDirectory("onramp-demo-");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      // With --keep the person comes back to it: Temporal's usual ports, so that the temporal CLI
      // and a bookmarked Web UI find it.
      DemoTemporal.Ports ports =
          new DemoTemporal.Ports(
              temporalPort != null ? temporalPort : keep ? 7233 : 0,
              uiPort != null ? uiPort : keep ? 8233 : 0);
      return new Demo(
              new Demo.Options(dir, interactive, rebootTime, Watcher.isTerminal(), keep, ports),
              System.out,
              in)
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
