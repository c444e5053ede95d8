package dev.onramp.cli.commands;

import dev.onramp.cli.CliException;
import dev.onramp.cli.ExitCodes;
import dev.onramp.worker.OnrampApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code onramp worker}: runs the worker (Temporal worker, REST API, health, metrics). */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Run the onramp worker in the foreground: the Temporal worker, the REST API"
          + " and the admin port (health checks, metrics).",
      "Configuration: YAML with ${ENV_VAR} substitution; see config/worker.yml."
    })
public class WorkerCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      defaultValue = "config/worker.yml",
      description = "Configuration file (default ${DEFAULT-VALUE}).")
  Path config;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(config)) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "no worker configuration at " + config + "; pass --config, see config/worker.yml");
    }
    new OnrampApplication().run("server", config.toString());
    Thread.currentThread().join(); // Dropwizard's server threads keep running; stop with Ctrl-C.
    return 0;
  }
}
