package dev.onramp.cli.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code onramp sandbox}: the local AWS emulator and Materialize stand-in, in the foreground. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "Run the AWS emulator and the Materialize stand-in locally, in the foreground.")
public class SandboxCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("the sandbox is not wired into the CLI yet");
  }
}
