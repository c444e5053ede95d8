package dev.onramp.cli.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code onramp demo}: a whole onboarding against the local stand-ins. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run a whole onboarding against the local stand-ins, with live progress.")
public class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("the demo is not wired yet");
  }
}
