package dev.onramp.worker.config;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} command, except that a configuration it refuses (a missing or unknown
 * key, a value that is wrong, a file that cannot be read) is reported as its message alone: it
 * names what to fix, and a stack trace under it only hides that. Anything else is reported as
 * Dropwizard does, with its trace.
 */
public final class ServerCommandWithRefusals<T extends Configuration> extends ServerCommand<T> {
  public ServerCommandWithRefusals(Application<T> application) {
    super(application);
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (e instanceof ConfigurationException || e instanceof IllegalArgumentException) {
      cli.getStdErr().println("onramp worker: " + e.getMessage());
      return;
    }
    super.onError(cli, namespace, e);
  }
}
