package dev.onramp.workflows;

/**
 * The parts of an offboarding, in the order it removes them (the onboarding's in reverse); each
 * part talks to one system, so one system down leaves only its own part over.
 */
public enum OffboardingPart {
  RECORD("reading the onboarding's ledger", "Temporal"),
  SCHEDULE("re-verification schedule", "Temporal"),
  MATERIALIZE("Materialize objects", "Materialize"),
  UPSTREAM("upstream objects", "the upstream database"),
  INGRESS("ingress rules", "EC2"),
  SECRET("replication secret", "Secrets Manager"),
  PARAMETER_GROUP("parameter group", "RDS");

  private final String title;
  private final String system;

  OffboardingPart(String title, String system) {
    this.title = title;
    this.system = system;
  }

  public String title() {
    return title;
  }

  /** The outside system the part's calls go to, as a person names it. */
  public String system() {
    return system;
  }
}
