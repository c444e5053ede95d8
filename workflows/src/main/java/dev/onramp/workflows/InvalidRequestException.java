package dev.onramp.workflows;

import java.util.List;

/** A request refused before any workflow starts; each problem names its field. */
public class InvalidRequestException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidRequestException(List<String> problems) {
    super("invalid onboarding request:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
