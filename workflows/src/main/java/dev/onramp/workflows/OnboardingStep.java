package dev.onramp.workflows;

/** The steps of an onboarding, in order; numbered as in the design. */
public enum OnboardingStep {
  PREFLIGHT("Preflight checks"),
  LOGICAL_REPLICATION_CHECK("Check logical replication"),
  PARAMETER_GROUP("Prepare the DB parameter group"),
  ASSOCIATE_AND_GATE("Associate the parameter group, pass the reboot gate"),
  REBOOT_AND_WAIT("Reboot and wait for Available"),
  UPSTREAM_OBJECTS("Create publication, replication user and grants"),
  NETWORK("Open the network path"),
  MATERIALIZE_OBJECTS("Create Materialize cluster, secret, connection, source"),
  SNAPSHOT("Wait for the initial snapshot"),
  RIGHT_SIZE("Right-size the cluster"),
  REVERIFICATION("Schedule re-verification");

  private final String title;

  OnboardingStep(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }
}
